import type { RequestContext } from '../../core/context';
import { utf8 } from '../../http/bytes';
import type { FlatHeaders } from '../../http/types';
import { upstreamRequestHeaders } from '../../proxy/headers';
import { authValueFor } from '../auth-value';
import type { Codec } from '../codec';
import type { IrRequest } from '../ir';
import type { AttemptInput } from '../prepare';
import type { PreparedAttempt } from '../types';
import { estimateInputTokens } from './estimate';
import { type ClientApi, clientCodec, upstreamCodec } from './formats';
import { ResponseTranslator } from './translator';

/**
 * A request the upstream's format cannot carry (no codec yet): nothing is sent to it, and the
 * exchange tries another upstream of the route.
 */
export class UntranslatableError extends Error {
  override name = 'UntranslatableError';
}

/** The client request in IR, parsed once per request (every attempt reuses it). */
const parsed = new WeakMap<RequestContext, { request: IrRequest; estimatedInput: number }>();

function irOf(ctx: RequestContext, codec: Codec): { request: IrRequest; estimatedInput: number } {
  let entry = parsed.get(ctx);
  if (!entry) {
    const request = codec.parseRequest(ctx.json ?? {});
    entry = { request, estimatedInput: estimateInputTokens(request) };
    parsed.set(ctx, entry);
  }
  return entry;
}

/** Headers of one API family that mean nothing (or something wrong) to another. */
function foreignHeader(lower: string, target: Codec, client: Codec): boolean {
  if (target === client) return false;
  return (
    lower.startsWith('anthropic-') || lower.startsWith('openai-') || lower === 'x-stainless-helper-method'
  );
}

function translatedHeaders(headers: FlatHeaders, target: Codec, client: Codec): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (!foreignHeader(name.toLowerCase(), target, client)) out.push(name, headers[i + 1]!);
  }
  return out;
}

/**
 * One attempt of a request whose client API the upstream does not speak: the request decoded
 * from the client's format and encoded in the upstream's, sent to the upstream's own endpoint,
 * with a translator for the answer. Per attempt, so a failover may cross formats.
 */
export function prepareTranslated(
  input: AttemptInput,
  api: Exclude<ClientApi, 'anthropic-count'>,
): PreparedAttempt {
  const { ctx, upstream, key } = input;
  const { provider, timeouts } = upstream;
  const target = upstreamCodec(upstream.format);
  if (!target)
    throw new UntranslatableError(
      `upstream "${upstream.name}" speaks format "${upstream.format}", which this gateway cannot translate to yet`,
    );
  const client = clientCodec(api);
  const { request, estimatedInput } = irOf(ctx, client);
  const body = utf8(JSON.stringify(target.buildRequest(request)));
  return {
    request: {
      path: upstream.basePath + target.path,
      method: 'POST',
      headers: upstreamRequestHeaders(translatedHeaders(input.headers, target, client), {
        authHeader: key ? provider.authHeader : null,
        authValue: key ? authValueFor(provider, key) : null,
        requestId: ctx.id,
        contentLength: body.length,
        extra: upstream.config.headers,
        defaults: provider.defaultHeaders,
        forwardedFor: ctx.forwardedFor,
        cookies: ctx.forwardCookies,
      }),
      body,
      headersTimeout: timeouts.first_byte,
      bodyTimeout: timeouts.idle,
    },
    addedStreamUsage: false,
    translator: new ResponseTranslator(target, client, { request, estimatedInput }),
  };
}

/** The local count `count_tokens` answers with when no upstream can count (Anthropic's shape). */
export function estimateCount(ctx: RequestContext): { input_tokens: number } {
  return { input_tokens: irOf(ctx, clientCodec('anthropic')).estimatedInput };
}
