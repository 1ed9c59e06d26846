import type { AdminRouter } from '../admin/router';
import type { ResponseCache } from './response-cache';

/** `GET /admin/cache` (statistics) and `DELETE /admin/cache` (purge all, by route, by model). */
export function registerCacheRoutes(
  router: AdminRouter,
  cache: ResponseCache,
  config: () => { enabled: boolean; ttl: number; scope: string },
): void {
  router.add(
    'GET',
    '/admin/cache',
    async () => {
      const store = await cache.store.stats();
      const { hits, misses, bypasses, stores, savedTokens, savedCost } = cache.counters;
      const settings = config();
      return {
        body: {
          enabled: settings.enabled,
          ttl_ms: settings.ttl,
          scope: settings.scope,
          entries: store.entries,
          bytes: store.bytes,
          max_bytes: store.maxBytes,
          evictions: store.evictions,
          hits,
          misses,
          bypasses,
          stores,
          hit_ratio: hits + misses === 0 ? null : hits / (hits + misses),
          saved_tokens: savedTokens,
          saved_cost: savedCost,
        },
      };
    },
    {
      summary: 'Response cache: entries, size, hits, misses, bypasses and the tokens and cost saved',
      tag: 'Cache',
    },
  );
  router.add(
    'DELETE',
    '/admin/cache',
    async (req) => {
      const route = req.query.get('route') ?? undefined;
      const model = req.query.get('model') ?? undefined;
      return { body: { purged: await cache.purge({ route, model }) } };
    },
    {
      summary: 'Purge the response cache: every entry, or those of one route and/or one model',
      tag: 'Cache',
      query: [
        { name: 'route', description: 'only entries stored for this route' },
        { name: 'model', description: 'only entries for this model (as sent upstream, after a rewrite)' },
      ],
    },
  );
}
