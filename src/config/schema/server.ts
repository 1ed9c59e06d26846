import { z } from 'zod';
import { byteSize, duration } from '../units';

const corsOptions = z
  .object({
    origins: z.array(z.string().min(1)).default(['*']),
    headers: z.array(z.string().min(1)).optional(),
    max_age: duration.default(86_400_000),
  })
  .strict();

export const serverSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
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
    compression: z.boolean().default(true),
    log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    log_format: z.enum(['auto', 'json', 'pretty']).default('auto'),
  })
  .strict();

export type ServerConfig = z.output<typeof serverSchema>;
export type CorsConfig = NonNullable<ServerConfig['cors']>;
