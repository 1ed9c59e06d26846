import type { UpstreamHealth } from '../api/types';
import { StateBadge } from '../components/state-badge';
import { count, relative } from '../format';

interface Props {
  readonly upstreams: readonly UpstreamHealth[];
  readonly onReset: (name: string) => void;
}

/** Each upstream's health state, why, and a reset. */
export function UpstreamHealthTable({ upstreams, onReset }: Props) {
  return (
    <table>
      <caption>Upstreams</caption>
      <thead>
        <tr>
          <th scope="col">Upstream</th>
          <th scope="col">State</th>
          <th scope="col">Why</th>
          <th scope="col" class="num">
            Faults in a row
          </th>
          <th scope="col" class="num">
            Ejections
          </th>
          <th scope="col" class="num">
            Keys usable
          </th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {upstreams.map((u) => (
          <tr key={u.name}>
            <th scope="row">{u.name}</th>
            <td>
              <StateBadge state={u.state} />
            </td>
            <td>
              {u.ejected_until ? `until ${relative(u.ejected_until)}; ` : ''}
              {u.reason || '—'}
            </td>
            <td class="num">{count(u.consecutive_faults)}</td>
            <td class="num">{count(u.ejections)}</td>
            <td class="num">
              {count(u.keys.usable)} / {count(u.keys.total)}
            </td>
            <td>
              <button
                type="button"
                class="small"
                aria-label={`Reset health of ${u.name}`}
                onClick={() => onReset(u.name)}
              >
                Reset
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
