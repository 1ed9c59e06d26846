import type { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { text } from '../http/bytes';
import { geminiTarget } from '../providers/gemini/path';
import { bodyKind } from './body-kind';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth';

/**
 * Parses the JSON body once, on the first step that needs a field. What is parsed depends on
 * the path and the content type (`bodyKind`): JSON is read under any content type (so routes,
 * rules and quotas see it), multipart and binary uploads never are. 400 when a body that must
 * be JSON does not parse, or nests too deeply.
 */
export function parsedJson(
  ctx: RequestContext,
  contentType: string | undefined,
): Record<string, unknown> | undefined {
  if (ctx.jsonParsed) return ctx.json;
  ctx.jsonParsed = true;
  if (!ctx.body) return undefined;
  const kind = bodyKind(contentType, ctx.path);
  if (kind === 'opaque') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text(ctx.body));
  } catch (err) {
    if (kind === 'maybe') return undefined;
    // The parser's text quotes the body: it goes to the request record, never to the client.
    throw new GatewayError('invalid_json', { cause: err, detail: (err as Error).message });
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
    // Gemini names the model and streaming in the path (`models/{model}:streamGenerateContent`).
    const gemini = geminiTarget(ctx.path);
    if (gemini) {
      ctx.model = gemini.model;
      ctx.stream = gemini.method === 'streamGenerateContent';
    }
  }
  return ctx.json;
}
