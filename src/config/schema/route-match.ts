import { z } from 'zod';

/** `{ regex: "^o[13]-" }`: a JavaScript regular expression, compiled once at load. */
const regexPattern = z
  .object({
    regex: z.string().min(1),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags may only be i, m, s and u')
      .optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    try {
      new RegExp(value.regex, value.flags);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['regex'], message: (err as Error).message });
    }
  });

/** A glob (`gpt-4*`, `/v1/**`; exact when it has no glob characters) or `{ regex }`. */
export const patternSchema = z.union([z.string().min(1), regexPattern]);

/** One pattern or a list of them; any one may match. Always a list after parsing. */
export const patternListSchema = z
  .union([patternSchema, z.array(patternSchema).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

const methodListSchema = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]).map((m) => m.toUpperCase()));

/**
 * What a route matches; every field given must match (AND), any pattern of a field may match
 * (OR). A route without `match` matches every request.
 */
export const routeMatchSchema = z
  .object({
    model: patternListSchema.optional(),
    path: patternListSchema.optional(),
    host: patternListSchema.optional(),
    method: methodListSchema.optional(),
    headers: z.record(z.string().min(1), patternListSchema).optional(),
  })
  .strict();

export type Pattern = z.output<typeof patternSchema>;
export type RouteMatchConfig = z.output<typeof routeMatchSchema>;
