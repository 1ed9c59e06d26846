import { z } from 'zod';
import { duration } from '../units';

const REDIS_URL = /^rediss?:\/\//;

/**
 * `state:` — where live state is shared between gateway instances: client limits, concurrency,
 * quota counters and key/upstream health changes. Without `url` it stays in this process.
 */
export const stateSchema = z
  .object({
    url: z
      .string()
      .regex(REDIS_URL, 'must be a redis:// or rediss:// URL (redis://[user:password@]host[:port][/db])')
      .optional(),
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, ".", "_" and "-" only')
      .default('switchyard'),
    /** How long one Redis call may take before the request falls back (fault policy). */
    timeout: duration.default(1_000),
  })
  .strict();

export type StateConfig = z.output<typeof stateSchema>;

/** The credentials a state URL holds (user and password, as written and decoded), for the redactor. */
export function stateUrlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    const secrets = [parsed.password, decodeURIComponent(parsed.password)];
    if (parsed.username && parsed.password) {
      secrets.push(`${parsed.username}:${parsed.password}`);
    }
    return secrets.filter((s) => s.length > 0);
  } catch {
    return [];
  }
}
