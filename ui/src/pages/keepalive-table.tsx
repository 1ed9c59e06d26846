import type { KeepaliveReport } from '../api/types';
import { count, relative } from '../format';
import { PingResult } from './ping-result';

interface Props {
  readonly pings: readonly KeepaliveReport[];
  readonly onPing: (upstream: string) => void;
}

/** Keep-alive pings: counts, the latest results, next run, and ping now. */
export function KeepaliveTable({ pings, onPing }: Props) {
  return (
    <table>
      <caption>Keep-alive pings</caption>
      <thead>
        <tr>
          <th scope="col">Upstream</th>
          <th scope="col" class="num">
            Sent
          </th>
          <th scope="col" class="num">
            Failed
          </th>
          <th scope="col">Recent results</th>
          <th scope="col">Next</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {pings.length === 0 ? (
          <tr>
            <td colSpan={6} class="empty">
              No upstream has keep-alive pings (keepalive in the configuration).
            </td>
          </tr>
        ) : null}
        {pings.map((k) => (
          <tr key={k.upstream}>
            <th scope="row">{k.upstream}</th>
            <td class="num">{count(k.sent)}</td>
            <td class="num">{count(k.failed)}</td>
            <td>
              <ul class="plain">
                {k.history.slice(0, 3).map((r) => (
                  <li key={r.at}>
                    <PingResult result={r} />
                  </li>
                ))}
              </ul>
            </td>
            <td>{relative(k.next_at)}</td>
            <td>
              <button
                type="button"
                class="small"
                aria-label={`Ping ${k.upstream} now`}
                onClick={() => onPing(k.upstream)}
              >
                Ping now
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
