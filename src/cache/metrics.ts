import { Counter, Gauge, type Registry } from 'prom-client';
import type { ResponseCache } from './response-cache';
import type { StoreStats } from './store';

/** The cache's Prometheus series, in the gateway's registry. */
export function registerCacheMetrics(cache: ResponseCache, registry: Registry): void {
  const registers = [registry];
  const requests = new Counter({
    name: 'switchyard_cache_requests_total',
    help: 'Requests on caching routes, by route and result (hit, miss, bypass)',
    labelNames: ['route', 'result'],
    registers,
  });
  const savedTokens = new Counter({
    name: 'switchyard_cache_saved_tokens_total',
    help: 'Tokens the answers served from the cache took when they were made',
    labelNames: ['route'],
    registers,
  });
  const savedCost = new Counter({
    name: 'switchyard_cache_saved_cost_total',
    help: 'Cost (in the prices’ currency) of the answers served from the cache when they were made',
    labelNames: ['route'],
    registers,
  });
  new Gauge({
    name: 'switchyard_cache_entries',
    help: 'Answers held in the response cache',
    registers,
    async collect() {
      const stats = await storeStats(cache);
      if (stats) this.set(stats.entries);
    },
  });
  new Gauge({
    name: 'switchyard_cache_bytes',
    help: 'Memory the response cache holds (bounded by cache.max_size)',
    registers,
    async collect() {
      const stats = await storeStats(cache);
      if (stats) this.set(stats.bytes);
    },
  });
  cache.listeners.push((ctx) => {
    const mark = ctx.cache!;
    const route = ctx.route?.name ?? 'none';
    requests.inc({ route, result: mark.result });
    if (mark.result !== 'hit') return;
    savedTokens.inc({ route }, mark.savedTokens);
    if (mark.savedCost) savedCost.inc({ route }, mark.savedCost);
  });
}

/**
 * The store's figures, or undefined while a shared store cannot answer: the gauges keep their
 * last value then, and the rest of the scrape is served (`switchyard_state_up` tells the outage).
 */
function storeStats(cache: ResponseCache): Promise<StoreStats | undefined> {
  return cache.store.stats().catch(() => undefined);
}
