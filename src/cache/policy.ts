import type { CacheScope, Config } from '../config/schema/index';
import type { RequestContext } from '../core/context';
import type { Route } from '../routing/route';

export interface CachePolicy {
  readonly ttl: number;
  readonly scope: CacheScope;
}

/** Model lists: `GET /v1/models` (and `/v1/models/…`) proxied to an upstream. */
export function isModelList(ctx: RequestContext): boolean {
  return ctx.method === 'GET' && (ctx.path === '/v1/models' || ctx.path.startsWith('/v1/models/'));
}

/**
 * Whether and how this request's answer is cached: model lists for `models_cache_ttl` whatever
 * `cache.enabled` says; everything else when `routes[].cache`, else `cache.enabled`, says so.
 */
export function cachePolicy(config: Config, route: Route, ctx: RequestContext): CachePolicy | undefined {
  const global = config.cache;
  if (isModelList(ctx)) {
    return config.models_cache_ttl > 0 ? { ttl: config.models_cache_ttl, scope: global.scope } : undefined;
  }
  const own = route.config.cache;
  const enabled = own === undefined ? global.enabled : typeof own === 'boolean' ? own : own.enabled;
  if (!enabled) return undefined;
  const overrides = typeof own === 'object' ? own : undefined;
  return { ttl: overrides?.ttl ?? global.ttl, scope: overrides?.scope ?? global.scope };
}

/** `Cache-Control: no-cache` or `no-store` on the request: neither read nor written. */
export function bypassRequested(cacheControl: string | undefined): boolean {
  return cacheControl !== undefined && /\bno-(?:cache|store)\b/i.test(cacheControl);
}
