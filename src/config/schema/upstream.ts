import { z } from 'zod';
import { duration } from '../units';
import { healthOverrideSchema } from './health';
import { keyLimitsSchema } from './key-limits';
import { healthCheckSchema, keepaliveSchema } from './upstream-probes';

/** The wire formats an upstream may speak (`upstreams[].format`, docs/translation.md). */
export const WIRE_FORMATS = ['openai', 'openai-chat', 'anthropic', 'gemini'] as const;
export type WireFormat = (typeof WIRE_FORMATS)[number];

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
    /** The upstream's wire format; unset: `anthropic` for `provider: anthropic`, else `openai`. */
    format: z.enum(WIRE_FORMATS).optional(),
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

/** The format an upstream speaks: its `format`, else what its `provider` implies. */
export function upstreamFormat(config: Pick<UpstreamConfig, 'provider' | 'format'>): WireFormat {
  if (config.format) return config.format;
  return config.provider === 'anthropic' ? 'anthropic' : 'openai';
}

/**
 * Why `provider` and `format` contradict each other, if they do. Anthropic's API speaks only
 * its own format and Azure OpenAI only OpenAI's; other providers may front a server of another
 * format (an Anthropic-compatible endpoint taking a Bearer key, say).
 */
export function formatContradiction(config: Pick<UpstreamConfig, 'provider' | 'format'>): string | undefined {
  const { provider, format } = config;
  if (!format) return undefined;
  if (provider === 'anthropic' && format !== 'anthropic')
    return `format "${format}" contradicts provider "anthropic" (Anthropic's API speaks format "anthropic"); remove one of them`;
  if (provider === 'azure' && format !== 'openai' && format !== 'openai-chat')
    return `format "${format}" does not fit provider "azure" (Azure OpenAI speaks format "openai")`;
  return undefined;
}
