import type { Registry } from 'prom-client';
import type { AdminRouter } from '../admin/router';
import type { RequestContext } from '../core/context';
import type { ConfigSnapshot } from '../routing/config-snapshot';
import { registerCacheRoutes } from './admin-routes';
import { registerCacheMetrics } from './metrics';
import { ResponseCache } from './response-cache';
import type { CacheStore } from './store';

/** What attaching the cache needs of the gateway (the assembly passes itself). */
export interface CachingGateway {
  readonly runtime: ConfigSnapshot;
  cache: ResponseCache | undefined;
  readonly requestListeners: ((ctx: RequestContext) => void)[];
  readonly reloadListeners: ((snapshot: ConfigSnapshot) => void)[];
  readonly admin: AdminRouter;
}

/**
 * Gives the gateway its response cache: the lifecycle's hooks, the request listener that stores
 * answers and counts outcomes, reloads (size bound), metrics and the admin routes.
 */
export function attachCache(
  gateway: CachingGateway,
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
