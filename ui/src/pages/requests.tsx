import { useState } from 'preact/hooks';
import { get, query } from '../api/client';
import type { RequestPage } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { StateBadge } from '../components/state-badge';
import { count, ms, time } from '../format';
import { usePoll } from '../hooks/use-poll';
import { href } from '../hooks/use-route';
import { NO_FILTER, type RequestFilter, RequestFilters } from './request-filters';

const PAGE = 50;

function instant(local: string): number | undefined {
  return local ? new Date(local).getTime() : undefined;
}

function load(filter: RequestFilter, cursor: string | undefined) {
  const { from, to, ...rest } = filter;
  return get<RequestPage>(
    `/admin/requests${query({ ...rest, from: instant(from), to: instant(to), limit: PAGE, cursor })}`,
  );
}

/** The request log, newest first, filtered and paged; each row opens its attempts. */
export function RequestsPage() {
  const [filter, setFilter] = useState<RequestFilter>(NO_FILTER);
  const [cursors, setCursors] = useState<readonly string[]>([]);
  const cursor = cursors.at(-1);
  const { data, error } = usePoll(() => load(filter, cursor), [filter, cursor], cursor ? 0 : 5000);
  const apply = (next: RequestFilter) => {
    setFilter(next);
    setCursors([]);
  };
  return (
    <section>
      <PageTitle>Requests</PageTitle>
      <RequestFilters onApply={apply} />
      <ErrorNote error={error} />
      <table>
        <caption>The request log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Status</th>
            <th scope="col">Verdict</th>
            <th scope="col">Model</th>
            <th scope="col">Client</th>
            <th scope="col">Route</th>
            <th scope="col">Upstream</th>
            <th scope="col" class="num">
              Attempts
            </th>
            <th scope="col" class="num">
              Duration
            </th>
            <th scope="col" class="num">
              Tokens
            </th>
          </tr>
        </thead>
        <tbody>
          {data?.data.length === 0 ? (
            <tr>
              <td colSpan={10} class="empty">
                No request matches.
              </td>
            </tr>
          ) : null}
          {(data?.data ?? []).map((row) => (
            <tr key={row.request_id}>
              <th scope="row">
                <a href={href('requests', row.request_id)}>{time(row.ts)}</a>
              </th>
              <td>{row.status}</td>
              <td>
                <StateBadge state={row.verdict} />
              </td>
              <td>{row.model ?? '—'}</td>
              <td>{row.client ?? '—'}</td>
              <td>{row.route ?? '—'}</td>
              <td>{row.upstream ?? '—'}</td>
              <td class="num">{row.attempts.length}</td>
              <td class="num">{ms(row.duration_ms)}</td>
              <td class="num">{count(row.total_tokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          disabled={!data?.next_cursor}
          onClick={() => data?.next_cursor && setCursors([...cursors, data.next_cursor])}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
