import { useState } from 'preact/hooks';
import { call, enc, get } from '../api/client';
import type { StatsSnapshot, UpstreamHealth, UpstreamView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { ReadOnlyNote } from '../components/read-only-note';
import { StatTile } from '../components/stat-tile';
import { StateBadge } from '../components/state-badge';
import { count, errors, ms, percent, relative } from '../format';
import { usePoll } from '../hooks/use-poll';
import { href } from '../hooks/use-route';
import { KeyImport } from './key-import';
import { KeyTable } from './key-table';

async function load(name: string) {
  const [upstream, health, stats] = await Promise.all([
    get<UpstreamView>(`/admin/upstreams/${enc(name)}`),
    get<{ upstreams: UpstreamHealth[] }>('/admin/health'),
    get<StatsSnapshot>('/admin/stats?window=hour&by=upstream&limit=1000'),
  ]);
  return {
    upstream,
    health: health.upstreams.find((u) => u.name === name),
    stats: stats.upstreams?.find((s) => s.name === name),
  };
}

/** One upstream: its state and figures, its keys (searchable, paged) and the key import. */
export function UpstreamDetail({ name }: { name: string }) {
  const [imports, setImports] = useState(0);
  const { data, error, reload } = usePoll(() => load(name), [name], 5000);
  const reset = async () => {
    await call('POST', `/admin/upstreams/${enc(name)}/health/reset`);
    reload();
  };
  const health = data?.health;
  const stats = data?.stats;
  const fromFile = data?.upstream.source === 'file';
  return (
    <section>
      <p class="crumbs">
        <a href={href('upstreams')}>Upstreams</a> /
      </p>
      <PageTitle
        actions={
          <button type="button" onClick={reset}>
            Reset health
          </button>
        }
      >
        {name}
      </PageTitle>
      <ErrorNote error={error} />
      {data ? (
        <>
          <p>
            <StateBadge state={health?.state} /> {data.upstream.url}
            {health?.ejected_until ? ` — out until ${relative(health.ejected_until)}` : ''}
            {health?.reason ? ` — ${health.reason}` : ''}
          </p>
          <div class="tiles">
            <StatTile label="Attempts (hour)" value={count(stats?.requests ?? 0)} />
            <StatTile label="Errors" value={stats ? percent(errors(stats.outcomes), stats.requests) : '—'} />
            <StatTile label="p50" value={ms(stats?.latency_ms?.p50)} />
            <StatTile label="p95" value={ms(stats?.latency_ms?.p95)} />
            <StatTile
              label="Keys usable"
              value={`${count(health?.keys.usable)} / ${count(data.upstream.keys.total)}`}
            />
            <StatTile label="Ejections" value={count(health?.ejections ?? 0)} />
          </div>
          {fromFile ? <ReadOnlyNote subject="This upstream and its keys" /> : null}
          <KeyTable upstream={name} writable={!fromFile} onChange={reload} version={imports} />
          {fromFile ? null : (
            <KeyImport
              upstream={name}
              onImported={() => {
                setImports((n) => n + 1);
                reload();
              }}
            />
          )}
        </>
      ) : null}
    </section>
  );
}
