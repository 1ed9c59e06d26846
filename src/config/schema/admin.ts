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
  })
  .strict();

export type AdminConfig = z.output<typeof adminSchema>;
