import { z } from 'zod';
import { duration } from '../units';

const validationSchema = z
  .object({
    enabled: z.boolean().default(true),
    interval: duration.default(300_000),
    method: z.enum(['GET', 'POST', 'HEAD']).default('GET'),
    path: z.string().startsWith('/').default('/v1/models'),
    body: z.string().optional(),
    expect_status: z.array(z.number().int().min(100).max(599)).default([200]),
    timeout: duration.default(10_000),
    return_after: duration.default(3_600_000),
  })
  .strict();

/** Field names of the key and upstream health policy; each may be overridden per upstream. */
const healthFields = {
  rate_limit_cooldown: duration.default(20_000),
  max_rate_limit_cooldown: duration.default(600_000),
  quota_cooldown: duration.default(3_600_000),
  blacklist_threshold: z.number().int().min(1).default(3),
  marker_blacklist_threshold: z.number().int().min(1).default(1),
  eject_threshold: z.number().int().min(1).default(3),
  eject_cooldown: duration.default(30_000),
  max_eject_cooldown: duration.default(600_000),
  validation: validationSchema.default(validationSchema.parse({})),
};

export const healthSchema = z.object(healthFields).strict();

/** The same fields, all optional: an upstream's `health:` overrides the top-level ones it names. */
export const healthOverrideSchema = z
  .object({
    rate_limit_cooldown: duration.optional(),
    max_rate_limit_cooldown: duration.optional(),
    quota_cooldown: duration.optional(),
    blacklist_threshold: z.number().int().min(1).optional(),
    marker_blacklist_threshold: z.number().int().min(1).optional(),
    eject_threshold: z.number().int().min(1).optional(),
    eject_cooldown: duration.optional(),
    max_eject_cooldown: duration.optional(),
    validation: validationSchema.partial().optional(),
  })
  .strict();

export const retrySchema = z
  .object({
    max_attempts: z.number().int().min(1).max(20).default(3),
    deadline: duration.default(60_000),
    backoff: duration.default(50),
    max_backoff: duration.default(1_000),
    max_retry_after: duration.default(10_000),
  })
  .strict();

export type HealthPolicy = z.output<typeof healthSchema>;
export type HealthOverride = z.output<typeof healthOverrideSchema>;
export type ValidationPolicy = HealthPolicy['validation'];
export type RetryPolicy = z.output<typeof retrySchema>;

export function resolveHealthPolicy(base: HealthPolicy, override: HealthOverride | undefined): HealthPolicy {
  if (!override) return base;
  const { validation, ...rest } = override;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, validation: { ...base.validation, ...stripUndefined(validation ?? {}) } };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
