import { z } from 'zod';
import { duration } from '../units';
import { healthOverrideSchema } from './health';
import { keyLimitsSchema } from './key-limits';
import { healthCheckSchema, keepaliveSchema } from './upstream-probes';

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const nameField = z
  .string()
  .regex(NAME_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

const timeoutsSchema = z
  .object({
    connect: duration.default(10_000),
    first_byte: duration.default(300_000),
    idle: duration.default(120_000),
    total: duration.default(600_000),
  })
  .strict();

export const upstreamSchema = z
  .object({
    name: nameField,
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    provider: z.enum(['openai', 'azure', 'anthropic', 'gemini', 'none']).default('openai'),
    keys: z.array(z.string().min(1)).default([]),
    keys_file: z.string().min(1).optional(),
    key_rotation: z.enum(['round-robin', 'random']).default('round-robin'),
    key_start_index: z.number().int().nonnegative().default(0),
    weight: z.number().int().min(1).max(1_000_000).default(1),
    priority: z.number().int().min(0).default(0),
    headers: z.record(z.string(), z.string()).default({}),
    timeouts: timeoutsSchema.default(timeoutsSchema.parse({})),
    max_connections: z.number().int().min(0).default(0),
    enabled: z.boolean().default(true),
    health: healthOverrideSchema.optional(),
    models: z.array(z.string().min(1)).default([]),
    health_check: healthCheckSchema.optional(),
    keepalive: keepaliveSchema.optional(),
    key_limits: keyLimitsSchema.optional(),
  })
  .strict();

export type UpstreamConfig = z.output<typeof upstreamSchema>;
export type UpstreamTimeouts = UpstreamConfig['timeouts'];
