import { z } from 'zod';

/** Pre-emptive limits for each key of an upstream (a provider's per-account limits). */
export const keyLimitsSchema = z
  .object({ rpm: z.number().int().positive().optional(), tpm: z.number().int().positive().optional() })
  .strict();

export type KeyLimits = z.output<typeof keyLimitsSchema>;
