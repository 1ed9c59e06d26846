import { z } from 'zod';
import { isCidrOrAddress } from '../../access/ip-allowlist';
import { duration } from '../units';
import { checkUnique } from './unique';
import { nameField } from './upstream';

const positiveInt = z.number().int().positive();

export const PERIODS = ['day', 'week', 'month', 'total'] as const;

export const clientLimitsSchema = z
  .object({
    rpm: positiveInt.optional(),
    tpm: positiveInt.optional(),
    concurrency: positiveInt.optional(),
  })
  .strict();

/** An instant: an ISO 8601 string or milliseconds since the epoch; becomes milliseconds. */
const instant = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a date (use e.g. 2026-01-31T00:00:00Z)` });
    return z.NEVER;
  }
  return ms;
});

/** Everything about a client but its name and key: the same shape in the file and the admin API. */
export const clientSettingsSchema = z
  .object({
    models: z.array(z.string().min(1)).optional(),
    routes: z.array(nameField).optional(),
    ip_allowlist: z
      .array(z.string().refine(isCidrOrAddress, 'must be an IP address or a CIDR range such as 10.0.0.0/8'))
      .optional(),
    expires_at: instant.optional(),
    enabled: z.boolean().default(true),
    metadata: z.record(z.string(), z.unknown()).default({}),
    limits: clientLimitsSchema.default({}),
    quota: z
      .object({ tokens: positiveInt, period: z.enum(PERIODS).default('month') })
      .strict()
      .optional(),
    budget: z
      .object({ usd: z.number().positive(), period: z.enum(PERIODS).default('month') })
      .strict()
      .optional(),
  })
  .strict();

export const clientKeyField = z.string().min(16, 'must be at least 16 characters');

export const clientSchema = clientSettingsSchema.extend({ name: nameField, key: clientKeyField }).strict();

/** USD per million tokens, by model name or glob (`gpt-4o*`). */
export const priceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cached_input: z.number().nonnegative().optional(),
  })
  .strict();

export const ipLimitSchema = z
  .object({
    requests: positiveInt,
    window: duration.default(60_000),
    block: duration.default(300_000),
  })
  .strict();

export const usageSchema = z
  .object({
    stream_usage: z.boolean().default(true),
    completion_estimate: z.number().int().nonnegative().default(1024),
    tokenizer: z.boolean().default(true),
  })
  .strict();

export const requestLogSchema = z
  .object({
    enabled: z.boolean().default(true),
    flush_interval: duration.default(1000),
    batch_size: positiveInt.default(500),
    queue_limit: positiveInt.default(20_000),
    retention_days: z.number().nonnegative().default(30),
    rollup_retention_days: z.number().nonnegative().default(0),
  })
  .strict();

/** The access part of the configuration, merged into the top-level schema. */
export const accessConfigShape = {
  clients: z.array(clientSchema).default([]),
  prices: z.record(z.string().min(1), priceSchema).default({}),
  ip_limit: ipLimitSchema.optional(),
  usage: usageSchema.default(usageSchema.parse({})),
  request_log: requestLogSchema.default(requestLogSchema.parse({})),
};

interface AccessConfigInput {
  readonly clients: readonly { name: string; key: string; routes?: readonly string[] | undefined }[];
  readonly server: { readonly auth_keys: readonly string[] };
  readonly routes?: readonly { name: string }[] | undefined;
}

/** Cross-field checks: unique client names and keys, known routes. */
export function checkAccessConfig(config: AccessConfigInput, ctx: z.RefinementCtx): void {
  checkUnique(
    config.clients.map((client) => client.name),
    'clients',
    ctx,
  );
  const keys = new Set(config.server.auth_keys);
  const routes = new Set(config.routes ? config.routes.map((r) => r.name) : ['default']);
  config.clients.forEach((client, index) => {
    if (keys.has(client.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['clients', index, 'key'],
        message: 'the same key is used twice',
      });
    }
    keys.add(client.key);
    client.routes?.forEach((route, routeIndex) => {
      if (!routes.has(route)) {
        ctx.addIssue({
          code: 'custom',
          path: ['clients', index, 'routes', routeIndex],
          message: `unknown route "${route}"`,
        });
      }
    });
  });
}

export type ClientConfig = z.output<typeof clientSchema>;
export type ClientSettings = z.output<typeof clientSettingsSchema>;
export type ClientLimits = z.output<typeof clientLimitsSchema>;
export type PriceConfig = z.output<typeof priceSchema>;
export type IpLimitConfig = z.output<typeof ipLimitSchema>;
export type UsageConfig = z.output<typeof usageSchema>;
export type RequestLogConfig = z.output<typeof requestLogSchema>;
export type Period = (typeof PERIODS)[number];
