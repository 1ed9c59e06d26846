import type { Config } from '../config/schema/index';
import { routeSchema } from '../config/schema/route';
import { createRoute, type Route } from './route';
import { Router } from './router';
import { createUpstream, type Upstream } from './upstream';
import { UpstreamStats } from './upstream-stats';

/**
 * Everything built from one configuration. Swapped whole on reload: a request keeps the
 * runtime it started with, so in-flight requests finish on the old config.
 */
export interface ConfigSnapshot {
  readonly config: Config;
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly routes: readonly Route[];
  readonly router: Router;
}

export function buildSnapshot(
  config: Config,
  random: () => number = Math.random,
  stats: UpstreamStats = new UpstreamStats(),
  previous?: ConfigSnapshot,
): ConfigSnapshot {
  const upstreams = new Map<string, Upstream>();
  for (const upstreamConfig of config.upstreams) {
    const before = previous?.upstreams.get(upstreamConfig.name);
    upstreams.set(upstreamConfig.name, createUpstream(upstreamConfig, config.health, random, before));
  }
  const routeConfigs = config.routes ?? defaultRoutes(config);
  const routes = routeConfigs.map((route) => createRoute(route, upstreams, { stats }));
  return { config, upstreams, routes, router: new Router(routes) };
}

/** Without `routes`, one route spreads every request over all upstreams. */
function defaultRoutes(config: Config): Config['routes'] & object {
  if (config.upstreams.length === 0) return [];
  return [routeSchema.parse({ name: 'default', upstreams: config.upstreams.map((u) => u.name) })];
}
