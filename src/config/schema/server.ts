import { z } from 'zod';
import { byteSize, duration } from '../units';

const corsOptions = z
  .object({
    origins: z.array(z.string().min(1)).default(['*']),
    headers: z.array(z.string().min(1)).optional(),
    max_age: duration.default(86_400_000),
  })
  .strict();

/** A duration that must be more than 0. */
const positiveDuration = duration.refine((ms) => ms > 0, 'must be more than 0 (a duration such as 15s)');

/** How long a client may take: nginx and HAProxy use the same order of magnitude. */
const timeoutsSchema = z
  .object({
    headers: positiveDuration.default(15_000),
    body_idle: positiveDuration.default(30_000),
    body: positiveDuration.default(60_000),
    keep_alive: positiveDuration.default(65_000),
  })
  .strict();

const WORKERS_MESSAGE = 'must be "auto" (one per core) or a whole number of worker processes from 1 to 256';

/** Worker processes behind one listener: a number, or `auto` (one per core, resolved at start). */
export const workersSchema = z.union(
  [
    z.literal('auto', { error: WORKERS_MESSAGE }),
    z
      .number({ error: WORKERS_MESSAGE })
      .int({ error: WORKERS_MESSAGE })
      .min(1, { error: WORKERS_MESSAGE })
      .max(256, { error: WORKERS_MESSAGE }),
  ],
  { error: WORKERS_MESSAGE },
);

export const serverSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    workers: workersSchema.default(1),
    auth_keys: z.array(z.string().min(1)).default([]),
    cors: z
      .union([z.boolean(), z.null(), corsOptions])
      .default(true)
      .transform((value) =>
        value === true ? corsOptions.parse({}) : value === false || value === null ? null : value,
      ),
    max_body_size: byteSize.default(32 * 1024 * 1024),
    shutdown_timeout: duration.default(30_000),
    trust_proxy: z.boolean().default(false),
    timeouts: timeoutsSchema.prefault({}),
    max_connections: z
      .number({ message: 'must be a whole number of connections (0: no cap)' })
      .int('must be a whole number of connections (0: no cap)')
      .min(0, 'must be 0 (no cap) or more')
      .default(20_000),
    max_connections_per_ip: z
      .number({ message: 'must be a whole number of connections (0: no cap)' })
      .int('must be a whole number of connections (0: no cap)')
      .min(0, 'must be 0 (no cap) or more')
      .default(0),
    forward_cookies: z.boolean().default(false),
    compression: z.boolean().default(true),
    log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    log_format: z.enum(['auto', 'json', 'pretty']).default('auto'),
    /** The upstream HTTP client (docs/decisions.md): undici, or the lean client on net/tls sockets. */
    transport: z.enum(['undici', 'lean']).default('undici'),
  })
  .strict();

export type ServerConfig = z.output<typeof serverSchema>;
export type TimeoutsConfig = ServerConfig['timeouts'];
export type CorsConfig = NonNullable<ServerConfig['cors']>;
