import type { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth';

/** True when the body is declared as JSON (the only kind the gateway reads fields from). */
export function isJsonBody(contentType: string | undefined): boolean {
  return contentType?.includes('json') === true;
}

/**
 * Parses the JSON body once, on the first step that needs a field; 400 when it is malformed.
 * Requests whose body is not JSON (multipart audio, DoH) are never parsed.
 */
export function parsedJson(
  ctx: RequestContext,
  contentType: string | undefined,
): Record<string, unknown> | undefined {
  if (ctx.jsonParsed) return ctx.json;
  ctx.jsonParsed = true;
  if (!ctx.body || !isJsonBody(contentType)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(ctx.body.toString('utf8'));
  } catch (err) {
    throw new GatewayError('invalid_json', {
      message: `The request body is not valid JSON: ${(err as Error).message}`,
      cause: err,
    });
  }
  if (exceedsDepth(value)) {
    throw new GatewayError('json_too_deep', {
      message: `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`,
    });
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    ctx.json = value as Record<string, unknown>;
    ctx.model = typeof ctx.json.model === 'string' ? ctx.json.model : undefined;
    ctx.stream = ctx.json.stream === true;
  }
  return ctx.json;
}
