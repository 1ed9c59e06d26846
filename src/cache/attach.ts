import type { Registry } from 'prom-client';
import type { Gateway } from '../gateway/gateway';
import { registerCacheRoutes } from './admin-routes';
import { registerCacheMetrics } from './metrics';
import { ResponseCache } from './response-cache';
import type { CacheStore } from './store';

/**
 * Gives the gateway its response cache: the lifecycle's hooks, the request listener that stores
 * answers and counts outcomes, reloads (size bound), metrics and the admin routes.
 */
export function attachCache(
  gateway: Gateway,
  options: { now: () => number; registry?: Registry; store?: CacheStore },
): ResponseCache {
  const cache = new ResponseCache(gateway.runtime.config, options.now, options.store);
  gateway.cache = cache;
  gateway.requestListeners.unshift(cache.afterRequest);
  gateway.reloadListeners.push((runtime) => cache.configure(runtime.config));
  if (options.registry) registerCacheMetrics(cache, options.registry);
  registerCacheRoutes(gateway.admin, cache, () => gateway.runtime.config.cache);
  return cache;
}
