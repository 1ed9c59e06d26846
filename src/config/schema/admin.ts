import { z } from 'zod';

/** The admin API and the operations around it (README, "admin"). */
export const adminSchema = z
  .object({
    key: z.string().optional(),
    /** When set, `/admin` and `/metrics` are served on their own listener instead of the public port. */
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).optional(),
    /** Reload the configuration file when it (or a `keys_file`) changes on disk. */
    watch: z.boolean().default(true),
    /** Failed admin key attempts an address may make in a minute before it is refused (0: no limit). */
    max_auth_failures: z
      .number({ message: 'must be a whole number of failed attempts per minute (0: no limit)' })
      .int('must be a whole number of failed attempts per minute (0: no limit)')
      .min(0, 'must be 0 (no limit) or more')
      .default(10),
  })
  .strict();

export type AdminConfig = z.output<typeof adminSchema>;
