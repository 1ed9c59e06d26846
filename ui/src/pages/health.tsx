import { useState } from 'preact/hooks';
import { call, enc, get } from '../api/client';
import type { HealthCheckReport, KeepaliveReport, PingResult, UpstreamHealth } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { StateBadge } from '../components/state-badge';
import { count, ms, relative, time } from '../format';
import { usePoll } from '../hooks/use-poll';

async function load() {
  const [health, checks, keepalive] = await Promise.all([
    get<{ upstreams: UpstreamHealth[] }>('/admin/health'),
    get<{ upstreams: HealthCheckReport[] }>('/admin/health-checks'),
    get<{ upstreams: KeepaliveReport[] }>('/admin/keepalive'),
  ]);
  return { health: health.upstreams, checks: checks.upstreams, keepalive: keepalive.upstreams };
}

function Result({ result }: { result: PingResult | null | undefined }) {
  if (!result) return <>—</>;
  return (
    <>
      <StateBadge state={result.ok ? 'success' : 'upstream_fault'} /> {result.status || ''}{' '}
      {ms(result.ttfb_ms)} <span class="sub">{time(result.at)}</span>
      {result.error ? <div class="sub">{result.error}</div> : null}
    </>
  );
}

/** Upstream health, active health checks and keep-alive pings with their latest results. */
export function HealthPage() {
  const { data, error, reload } = usePoll(load, [], 5000);
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState<unknown>(undefined);
  const run = async (label: string, method: string, path: string) => {
    setActionError(undefined);
    try {
      await call(method, path);
      setMessage(`${label}: done`);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const validateAll = (
    <button type="button" onClick={() => run('Validate disabled keys', 'POST', '/admin/keys/validate')}>
      Validate disabled keys now
    </button>
  );
  return (
    <section>
      <PageTitle actions={validateAll}>Health</PageTitle>
      <ErrorNote error={error ?? actionError} />
      <p class="status" role="status">
        {message}
      </p>
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
          {(data?.health ?? []).map((u) => (
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
                  onClick={() =>
                    run(`Reset ${u.name}`, 'POST', `/admin/upstreams/${enc(u.name)}/health/reset`)
                  }
                >
                  Reset
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
          </tr>
        </thead>
        <tbody>
          {data?.checks.length === 0 ? (
            <tr>
              <td colSpan={6} class="empty">
                No upstream has a health check (health_check in the configuration).
              </td>
            </tr>
          ) : null}
          {(data?.checks ?? []).map((c) => (
            <tr key={c.upstream}>
              <th scope="row">{c.upstream}</th>
              <td>
                <StateBadge state={c.healthy ? 'healthy' : 'probe-down'} />
              </td>
              <td class="num">{count(c.checks)}</td>
              <td class="num">{count(c.failures)}</td>
              <td>
                <Result result={c.last} />
              </td>
              <td>{relative(c.next_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
          {data?.keepalive.length === 0 ? (
            <tr>
              <td colSpan={6} class="empty">
                No upstream has keep-alive pings (keepalive in the configuration).
              </td>
            </tr>
          ) : null}
          {(data?.keepalive ?? []).map((k) => (
            <tr key={k.upstream}>
              <th scope="row">{k.upstream}</th>
              <td class="num">{count(k.sent)}</td>
              <td class="num">{count(k.failed)}</td>
              <td>
                <ul class="plain">
                  {k.history.slice(0, 3).map((r) => (
                    <li key={r.at}>
                      <Result result={r} />
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
                  onClick={() =>
                    run(`Ping ${k.upstream}`, 'POST', `/admin/keepalive/${enc(k.upstream)}/ping`)
                  }
                >
                  Ping now
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
