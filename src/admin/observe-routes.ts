import type { GatewayMetrics } from '../observe/metrics';
import {
  DIMENSIONS,
  type Dimension,
  type StatsCollector,
  WINDOWS,
  type WindowName,
} from '../observe/stats/collector';
import type { AdminRequest, AdminRouter } from './router';
import { invalid } from './validate';

const DEFAULT_LIMIT = 100;

export function registerObserveRoutes(
  router: AdminRouter,
  stats: StatsCollector,
  metrics: GatewayMetrics,
): void {
  router.add('GET', '/admin/stats', (req) => ({ body: stats.snapshot(statsQuery(req)) }), {
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
