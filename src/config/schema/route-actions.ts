import { z } from 'zod';
import { ERROR_TABLE, type ErrorCode } from '../../core/errors';

const ERROR_CODES = Object.keys(ERROR_TABLE) as [ErrorCode, ...ErrorCode[]];

/** Refuses the request with the gateway's own OpenAI-shaped error, without any upstream call. */
export const rejectSchema = z
  .union([
    z.literal(true),
    z
      .object({
        code: z.enum(ERROR_CODES).default('route_rejected'),
        status: z.number().int().min(400).max(599).optional(),
        message: z.string().min(1).optional(),
      })
      .strict(),
  ])
  .transform((value) => (value === true ? { code: 'route_rejected' as ErrorCode } : value));

/** Request headers changed before sending: `remove` first, then `set`. */
export const headerActionsSchema = z
  .object({
    set: z.record(z.string().min(1), z.string()).default({}),
    remove: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** Top-level fields of a JSON body changed before sending: `remove` first, then `set`. */
export const bodyActionsSchema = z
  .object({
    set: z.record(z.string().min(1), z.unknown()).default({}),
    remove: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const rewriteSchema = z
  .object({
    model: z.string().min(1),
  })
  .strict();

export type RejectConfig = z.output<typeof rejectSchema>;
export type HeaderActionsConfig = z.output<typeof headerActionsSchema>;
export type BodyActionsConfig = z.output<typeof bodyActionsSchema>;
