import type { ErrorField } from '../providers/types';

/** Error bodies larger than this are not parsed for markers (the status alone decides). */
const PARSE_LIMIT = 256 * 1024;

/** The string fields of a provider's error object; `reason` holds every `details[].reason`. */
export type ErrorFields = Readonly<Partial<Record<Exclude<ErrorField, 'reason'>, string>>> & {
  readonly reason: readonly string[];
};

/**
 * Reads the error object of an upstream error body: `{"error":{…}}` (OpenAI, Gemini, Anthropic's
 * `{"type":"error","error":{…}}`) or the same wrapped in an array (Gemini's OpenAI endpoint).
 * Only string fields count; text outside the error object is never looked at.
 */
export function errorFields(body: string | undefined): ErrorFields | undefined {
  if (!body || body.length > PARSE_LIMIT) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const root = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = isObject(root) ? root.error : undefined;
  if (!isObject(error)) return undefined;
  return {
    code: stringOf(error.code),
    type: stringOf(error.type),
    status: stringOf(error.status),
    message: stringOf(error.message),
    reason: reasons(error.details),
  };
}

function reasons(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  const out: string[] = [];
  for (const detail of details) {
    const reason = isObject(detail) ? stringOf(detail.reason) : undefined;
    if (reason !== undefined) out.push(reason);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
