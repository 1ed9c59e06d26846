import { get } from '../api/client';
import type { Series, StatsSnapshot, UpstreamHealth, UpstreamView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { StateBadge } from '../components/state-badge';
import { count, errors, ms, percent, relative } from '../format';
import { usePoll } from '../hooks/use-poll';
import { href } from '../hooks/use-route';
import { UpstreamCreate } from './upstream-create';

async function load() {
  const [list, health, stats] = await Promise.all([
    get<{ upstreams: UpstreamView[] }>('/admin/upstreams'),
    get<{ upstreams: UpstreamHealth[] }>('/admin/health'),
    get<StatsSnapshot>('/admin/stats?window=hour&by=upstream'),
  ]);
  const healthOf = new Map(health.upstreams.map((h) => [h.name, h]));
  const statsOf = new Map((stats.upstreams ?? []).map((s) => [s.name, s]));
  return list.upstreams.map((u) => ({ ...u, health: healthOf.get(u.name), stats: statsOf.get(u.name) }));
}

function Figures({ stats }: { stats: Series | undefined }) {
  return (
    <>
      <td class="num">{count(stats?.requests ?? 0)}</td>
      <td class="num">{stats ? percent(errors(stats.outcomes), stats.requests) : '—'}</td>
      <td class="num">{ms(stats?.latency_ms?.p50)}</td>
      <td class="num">{ms(stats?.latency_ms?.p95)}</td>
    </>
  );
}

/** Every upstream with its state, why it is out when it is, its figures over the last hour and its keys. */
export function UpstreamsPage() {
  const { data, error, reload } = usePoll(load, [], 5000);
  return (
    <section>
      <PageTitle>Upstreams</PageTitle>
      <ErrorNote error={error} />
      <table>
        <caption>Upstreams in priority order; figures over the last hour</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col">Why</th>
            <th scope="col" class="num">
              Keys usable / total
            </th>
            <th scope="col" class="num">
              Attempts
            </th>
            <th scope="col" class="num">
              Errors
            </th>
            <th scope="col" class="num">
              p50
            </th>
            <th scope="col" class="num">
              p95
            </th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((u) => (
            <tr key={u.name}>
              <th scope="row">
                <a href={href('upstreams', u.name)}>{u.name}</a>
                <div class="sub">{u.url}</div>
              </th>
              <td>
                <StateBadge state={u.health?.state} />
              </td>
              <td>
                {u.health?.ejected_until ? `until ${relative(u.health.ejected_until)}; ` : ''}
                {u.health?.reason || '—'}
              </td>
              <td class="num">
                {count(u.health?.keys.usable)} / {count(u.keys.total)}
              </td>
              <Figures stats={u.stats} />
              <td>
                <StateBadge state={u.source} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <UpstreamCreate onCreated={reload} />
    </section>
  );
}
