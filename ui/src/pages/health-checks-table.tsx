import type { HealthCheckReport } from '../api/types';
import { StateBadge } from '../components/state-badge';
import { count, relative } from '../format';
import { PingResult } from './ping-result';

interface Props {
  readonly checks: readonly HealthCheckReport[];
  readonly onRun: (upstream: string) => void;
}

/** Active health checks: state, counts, last result, next run, and run one now. */
export function HealthChecksTable({ checks, onRun }: Props) {
  return (
    <table>
      <caption>Active health checks</caption>
      <thead>
        <tr>
          <th scope="col">Upstream</th>
          <th scope="col">Healthy</th>
          <th scope="col" class="num">
            Checks
          </th>
          <th scope="col" class="num">
            Failures
          </th>
          <th scope="col">Last result</th>
          <th scope="col">Next</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {checks.length === 0 ? (
          <tr>
            <td colSpan={7} class="empty">
              No upstream has a health check (health_check in the configuration).
            </td>
          </tr>
        ) : null}
        {checks.map((c) => (
          <tr key={c.upstream}>
            <th scope="row">{c.upstream}</th>
            <td>
              <StateBadge state={c.healthy ? 'healthy' : 'probe-down'} />
            </td>
            <td class="num">{count(c.checks)}</td>
            <td class="num">{count(c.failures)}</td>
            <td>
              <PingResult result={c.last} />
            </td>
            <td>{relative(c.next_at)}</td>
            <td>
              <button
                type="button"
                class="small"
                aria-label={`Run the health check of ${c.upstream} now`}
                onClick={() => onRun(c.upstream)}
              >
                Run now
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
