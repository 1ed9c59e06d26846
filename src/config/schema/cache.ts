import { z } from 'zod';
import { byteSize, duration } from '../units';

const scopeField = z.enum(['client', 'global']);

/** `cache:` — the exact-match response cache (src/cache). */
export const cacheSchema = z
  .object({
    enabled: z.boolean().default(false),
    ttl: duration.default(600_000),
    max_size: byteSize.default(256 * 1024 * 1024),
    scope: scopeField.default('client'),
  })
  .strict();

/** `routes[].cache`: `true`/`false`, or the fields that differ from `cache:` for this route. */
export const routeCacheSchema = z.union([
  z.boolean(),
  z
    .object({
      enabled: z.boolean().default(true),
      ttl: duration.optional(),
      scope: scopeField.optional(),
    })
    .strict(),
]);

export type CacheConfig = z.output<typeof cacheSchema>;
export type RouteCacheConfig = z.output<typeof routeCacheSchema>;
export type CacheScope = z.output<typeof scopeField>;
