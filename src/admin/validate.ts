import type { z } from 'zod';
import { type ConfigError, describeIssues, formatPath } from '../config/errors';
import { GatewayError } from '../core/errors';

/**
 * Parses an admin request body with a schema. A failure is a 400 `validation_failed` whose
 * message lists each field and reason and whose `param` names the first field.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = describeIssues(result.error).map((line) => (prefix ? `${prefix}.${line}` : line));
  const first = result.error.issues[0];
  const param = first ? joinPath(prefix, formatPath(first.path)) : prefix || null;
  throw invalid(problems, param);
}

/** A configuration the API change would produce is invalid: the same 400, from the config problems. */
export function configRejected(err: ConfigError): GatewayError {
  return invalid(err.problems, /^([^\s:]+)/.exec(err.problems[0] ?? '')?.[1] ?? null);
}

export function invalid(problems: readonly string[], param: string | null): GatewayError {
  return new GatewayError('validation_failed', {
    message: `Invalid request: ${problems.join('; ')}`,
    param,
  });
}

function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  return path === '(root)' ? prefix : `${prefix}.${path}`;
}
