import { useState } from 'preact/hooks';
import { call, enc, get } from '../api/client';
import type { HealthCheckReport, KeepaliveReport, UpstreamHealth } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../hooks/use-poll';
import { HealthChecksTable } from './health-checks-table';
import { KeepaliveTable } from './keepalive-table';
import { UpstreamHealthTable } from './upstream-health-table';

async function load() {
  const [health, checks, keepalive] = await Promise.all([
    get<{ upstreams: UpstreamHealth[] }>('/admin/health'),
    get<{ upstreams: HealthCheckReport[] }>('/admin/health-checks'),
    get<{ upstreams: KeepaliveReport[] }>('/admin/keepalive'),
  ]);
  return { health: health.upstreams, checks: checks.upstreams, keepalive: keepalive.upstreams };
}

/** Upstream health, active health checks and keep-alive pings with their latest results. */
export function HealthPage() {
  const { data, error, reload } = usePoll(load, [], 5000);
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState<unknown>(undefined);
  const run = async (label: string, path: string) => {
    setActionError(undefined);
    try {
      await call('POST', path);
      setMessage(`${label}: done`);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const runCheck = async (name: string) => {
    setActionError(undefined);
    try {
      const result = await call<HealthCheckReport>('POST', `/admin/health-checks/${enc(name)}/run`);
      setMessage(`Health check of ${name}: ${checkOutcome(result)}`);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const validateAll = (
    <button type="button" onClick={() => run('Validate disabled keys', '/admin/keys/validate')}>
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
      <UpstreamHealthTable
        upstreams={data?.health ?? []}
        onReset={(name) => run(`Reset ${name}`, `/admin/upstreams/${enc(name)}/health/reset`)}
      />
      <HealthChecksTable checks={data?.checks ?? []} onRun={(name) => runCheck(name)} />
      <KeepaliveTable
        pings={data?.keepalive ?? []}
        onPing={(name) => run(`Ping ${name}`, `/admin/keepalive/${enc(name)}/ping`)}
      />
    </section>
  );
}

/** What one check run found, for the status line. */
function checkOutcome(result: HealthCheckReport): string {
  const { last } = result;
  if (!last) return 'no result';
  const state = result.healthy ? 'in rotation' : 'out of rotation';
  return last.ok ? `passed (${state})` : `failed: ${last.error ?? `status ${last.status}`} (${state})`;
}
