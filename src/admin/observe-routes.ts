import type { GatewayMetrics } from '../observe/metrics';
import {
  DIMENSIONS,
  type Dimension,
  type StatsCollector,
  WINDOWS,
  type WindowName,
} from '../observe/stats/collector';
import { fleetSnapshot } from '../observe/stats/fleet-report';
import type { AdminRequest, AdminRouter } from './router';
import { invalid } from './validate';

const DEFAULT_LIMIT = 100;

export function registerObserveRoutes(
  router: AdminRouter,
  stats: StatsCollector,
  metrics: GatewayMetrics,
): void {
  router.add('GET', '/admin/stats', (req) => statsReport(stats, req), {
    summary:
      'Requests, outcomes by verdict, latency and TTFB percentiles (p50/p95/p99) and tokens per upstream, key, route, client and model',
    tag: 'Statistics',
    query: [
      { name: 'window', description: '`minute`, `hour` (default) or `day`' },
      {
        name: 'by',
        description: `comma-separated dimensions (default all): ${DIMENSIONS.join(', ')}`,
      },
      { name: 'limit', description: `most series per dimension, busiest first (default ${DEFAULT_LIMIT})` },
      {
        name: 'scope',
        description:
          '`instance` (default): this instance; `fleet`: every instance sharing `state.url`, summed',
      },
    ],
  });
  router.add('GET', '/admin/stats/timeline', (req) => ({ body: stats.timeline(statsQuery(req)) }), {
    summary: 'The same figures slot by slot over the window, oldest first (for charts)',
    tag: 'Statistics',
    query: [
      { name: 'window', description: '`minute` (10 s slots), `hour` (default; 5 min) or `day` (1 h)' },
      { name: 'by', description: `comma-separated dimensions (default all): ${DIMENSIONS.join(', ')}` },
      { name: 'limit', description: `most series per dimension and slot (default ${DEFAULT_LIMIT})` },
    ],
  });
  router.add(
    'GET',
    '/metrics',
    async () => ({ text: await metrics.text(), contentType: metrics.contentType }),
    { summary: 'Prometheus metrics (text exposition format)', tag: 'Metrics' },
  );
}

async function statsReport(stats: StatsCollector, req: AdminRequest) {
  const query = statsQuery(req);
  const scope = req.query.get('scope') ?? 'instance';
  if (scope === 'instance') return { body: stats.snapshot(query) };
  if (scope !== 'fleet') throw invalid(['scope: must be instance or fleet'], 'scope');
  const source = stats.fleetSource;
  if (!source)
    throw invalid(['scope: fleet needs shared state (state.url) or server.workers above 1'], 'scope');
  await source.flush().catch(() => {});
  return { body: await fleetSnapshot(source.store, query, stats.now(), source.instances()) };
}

function statsQuery(req: AdminRequest) {
  const window = (req.query.get('window') ?? 'hour') as WindowName;
  if (!(window in WINDOWS))
    throw invalid([`window: must be one of ${Object.keys(WINDOWS).join(', ')}`], 'window');
  const by = req.query.get('by');
  const dimensions = by ? by.split(',').map((d) => d.trim()) : [...DIMENSIONS];
  for (const dimension of dimensions) {
    if (!DIMENSIONS.includes(dimension as Dimension)) {
      throw invalid([`by: unknown dimension "${dimension}" (one of ${DIMENSIONS.join(', ')})`], 'by');
    }
  }
  const limitText = req.query.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1)
    throw invalid(['limit: must be a whole number of at least 1'], 'limit');
  return { window, dimensions: dimensions as Dimension[], limit };
}
