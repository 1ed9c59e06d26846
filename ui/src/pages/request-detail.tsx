import { enc, get } from '../api/client';
import type { KeyView, RequestRow } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { StateBadge } from '../components/state-badge';
import { count, ms, time, usd } from '../format';
import { usePoll } from '../hooks/use-poll';
import { href } from '../hooks/use-route';

/** Each attempt's key, masked, looked up by its fingerprint (gone keys show the fingerprint). */
async function maskedKeys(row: RequestRow): Promise<Map<string, string>> {
  const masked = new Map<string, string>();
  await Promise.all(
    row.attempts.map(async (a) => {
      if (!a.key_fp) return;
      try {
        const key = await get<KeyView>(`/admin/upstreams/${enc(a.upstream)}/keys/${enc(a.key_fp)}`);
        masked.set(`${a.upstream}/${a.key_fp}`, key.key);
      } catch {
        // deleted since, or the upstream is gone: the fingerprint is shown
      }
    }),
  );
  return masked;
}

async function load(id: string) {
  const row = await get<RequestRow>(`/admin/requests/${enc(id)}`);
  return { row, masked: await maskedKeys(row) };
}

function Usage({ row }: { row: RequestRow }) {
  return (
    <dl class="facts">
      <dt>Prompt tokens</dt>
      <dd>{count(row.prompt_tokens)}</dd>
      <dt>Completion tokens</dt>
      <dd>{count(row.completion_tokens)}</dd>
      <dt>Total tokens</dt>
      <dd>
        {count(row.total_tokens)}
        {row.tokens_estimated ? ' (estimated)' : ''}
      </dd>
      <dt>Cost</dt>
      <dd>{usd(row.cost)}</dd>
    </dl>
  );
}

/** One request of the log with every attempt it made. */
export function RequestDetail({ id }: { id: string }) {
  const { data, error } = usePoll(() => load(id), [id]);
  const row = data?.row;
  return (
    <section>
      <p class="crumbs">
        <a href={href('requests')}>Requests</a> /
      </p>
      <PageTitle>Request {id}</PageTitle>
      <ErrorNote error={error} />
      {row ? (
        <>
          <dl class="facts">
            <dt>Time</dt>
            <dd>{time(row.ts)}</dd>
            <dt>Request</dt>
            <dd>
              {row.method} {row.path}
              {row.stream ? ' (stream)' : ''}
            </dd>
            <dt>Status</dt>
            <dd>
              {row.status} <StateBadge state={row.verdict} />
            </dd>
            <dt>Model</dt>
            <dd>
              {row.model ?? '—'}
              {row.sent_model && row.sent_model !== row.model ? ` → ${row.sent_model}` : ''}
            </dd>
            <dt>Client</dt>
            <dd>{row.client ?? '—'}</dd>
            <dt>Route</dt>
            <dd>{row.route ?? '—'}</dd>
            <dt>Duration</dt>
            <dd>
              {ms(row.duration_ms)} (first byte {ms(row.ttfb_ms)})
            </dd>
            {row.error ? (
              <>
                <dt>Error</dt>
                <dd>{row.error}</dd>
              </>
            ) : null}
          </dl>
          <h2>Usage</h2>
          <Usage row={row} />
          <table>
            <caption>Attempts, in order</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Upstream</th>
                <th scope="col">Key</th>
                <th scope="col">Status</th>
                <th scope="col">Verdict</th>
                <th scope="col" class="num">
                  Duration
                </th>
                <th scope="col" class="num">
                  First byte
                </th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {row.attempts.map((a, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <th scope="row">{a.upstream}</th>
                  <td>
                    <code>{data.masked.get(`${a.upstream}/${a.key_fp}`) ?? a.key_fp ?? '—'}</code>
                  </td>
                  <td>{a.status}</td>
                  <td>
                    <StateBadge state={a.verdict} />
                  </td>
                  <td class="num">{ms(a.duration_ms)}</td>
                  <td class="num">{ms(a.ttfb_ms)}</td>
                  <td>{a.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
