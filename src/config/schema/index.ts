import { z } from 'zod';
import { duration } from '../units';
import { accessConfigShape, checkAccessConfig } from './access';
import { adminSchema } from './admin';
import { cacheSchema } from './cache';
import { healthSchema, retrySchema } from './health';
import { type RouteConfig, routeSchema, routeUpstreamReferences } from './route';
import { serverSchema } from './server';
import { stateSchema } from './state';
import { translateSchema } from './translate';
import { checkUnique } from './unique';
import { formatContradiction, upstreamSchema } from './upstream';

const storeSchema = z
  .object({
    path: z.string().min(1).default('data/switchyard.db'),
    /** A PostgreSQL URL: the store lives there instead of the SQLite file at `path`. */
    url: z
      .string()
      .regex(/^postgres(?:ql)?:\/\/\S+$/, 'must be a postgres:// (or postgresql://) URL')
      .optional(),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.default(serverSchema.parse({})),
    admin: adminSchema.default(adminSchema.parse({})),
    store: storeSchema.default(storeSchema.parse({})),
    state: stateSchema.default(stateSchema.parse({})),
    health: healthSchema.default(healthSchema.parse({})),
    retry: retrySchema.default(retrySchema.parse({})),
    upstreams: z.array(upstreamSchema).default([]),
    routes: z.array(routeSchema).optional(),
    cache: cacheSchema.default(cacheSchema.parse({})),
    translate: translateSchema.default(translateSchema.parse({})),
    models_cache_ttl: duration.default(300_000),
    ...accessConfigShape,
  })
  .strict()
  .superRefine((config, ctx) => {
    checkUnique(
      config.upstreams.map((u) => u.name),
      'upstreams',
      ctx,
    );
    if (config.routes) {
      checkUnique(
        config.routes.map((r) => r.name),
        'routes',
        ctx,
      );
      checkRouteReferences(config.routes, new Set(config.upstreams.map((u) => u.name)), ctx);
    }
    config.upstreams.forEach((upstream, index) => {
      const message = formatContradiction(upstream);
      if (message) ctx.addIssue({ code: 'custom', path: ['upstreams', index, 'format'], message });
    });
    checkAccessConfig(config, ctx);
  });

function checkRouteReferences(routes: RouteConfig[], known: Set<string>, ctx: z.RefinementCtx): void {
  routes.forEach((route, routeIndex) => {
    for (const { path, name } of routeUpstreamReferences(route)) {
      if (!known.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', routeIndex, ...path],
          message: `unknown upstream "${name}"`,
        });
      }
    }
  });
}

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type { ClientConfig, PriceConfig } from './access';
export type { AdminConfig } from './admin';
export type { CacheConfig, CacheScope, RouteCacheConfig } from './cache';
export type { HealthOverride, HealthPolicy, RetryPolicy, ValidationPolicy } from './health';
export type { HashConfig, RouteConfig, SplitConfig, SplitGroupConfig } from './route';
export type { CorsConfig, ServerConfig } from './server';
export type { StateConfig } from './state';
export type { TranslateConfig } from './translate';
export type { UpstreamConfig, UpstreamTimeouts } from './upstream';
export type { HealthCheckConfig, KeepaliveConfig, ProbeRequestConfig } from './upstream-probes';
