import type { RequestContext } from '../core/context';
import { utf8 } from '../http/bytes';
import type { FlatHeaders } from '../http/types';
import { upstreamRequestHeaders } from '../proxy/headers';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import { authValueFor } from './auth-value';
import { prepareEmbeddings } from './gemini/embed-prepare';
import { prepareGeminiNative } from './gemini/native';
import { withStreamUsage } from './openai/stream-usage';
import { withoutForeignReasoning } from './responses/native-body';
import { clientApiOf, speaksNatively } from './translate/formats';
import { prepareTranslated, UntranslatableError } from './translate/prepare';
import type { PreparedAttempt } from './types';

/** What one attempt's request is made from. */
export interface AttemptInput {
  readonly ctx: RequestContext;
  readonly upstream: Upstream;
  readonly key: UpstreamKey | undefined;
  /** The client's headers, as routing left them. */
  readonly headers: FlatHeaders;
  /** Access control reads this request's usage from a stream (limits, quota, request log). */
  readonly streamUsage: boolean;
}

/**
 * The OpenAI-compatible shape of an attempt: the upstream's base path before the client's path
 * and query, the key in the provider's auth header, the body as the client sent it (with
 * `include_usage` added to a stream when the gateway needs its usage, and without reasoning items
 * the gateway wrote for Anthropic in a Responses request).
 */
export function prepareOpenAiCompatible(input: AttemptInput): PreparedAttempt {
  const { ctx, upstream, key } = input;
  const { provider, timeouts } = upstream;
  const withUsage = input.streamUsage ? withStreamUsage(ctx) : undefined;
  const rewritten = withUsage ?? nativeResponsesBody(ctx);
  const body = rewritten ? utf8(JSON.stringify(rewritten)) : ctx.body;
  return {
    request: {
      path: upstream.basePath + ctx.url,
      method: ctx.method,
      headers: upstreamRequestHeaders(input.headers, {
        authHeader: key ? provider.authHeader : null,
        authValue: key ? authValueFor(provider, key) : null,
        requestId: ctx.id,
        contentLength: body ? body.length : null,
        extra: upstream.config.headers,
        defaults: provider.defaultHeaders,
        forwardedFor: ctx.forwardedFor,
        cookies: ctx.forwardCookies,
      }),
      body,
      headersTimeout: timeouts.first_byte,
      bodyTimeout: timeouts.idle,
    },
    addedStreamUsage: withUsage !== undefined,
  };
}

/** A Responses request passed through, without the reasoning OpenAI cannot read (responses/native-body.ts). */
function nativeResponsesBody(ctx: RequestContext): Record<string, unknown> | undefined {
  return clientApiOf(ctx.path) === 'openai-responses' ? withoutForeignReasoning(ctx.json) : undefined;
}

/**
 * The default `prepare`: a request the upstream speaks natively (same API family on both sides,
 * or an endpoint the gateway does not translate) passes through as the client sent it, byte for
 * byte; one it does not is translated through the IR (docs/translation.md).
 */
export function prepareByFormat(input: AttemptInput): PreparedAttempt {
  const api = clientApiOf(input.ctx.path);
  if (!api || speaksNatively(api, input.upstream.format))
    return input.upstream.format === 'gemini' ? prepareGeminiNative(input) : prepareOpenAiCompatible(input);
  if (api === 'anthropic-count' || api === 'gemini-count')
    throw new UntranslatableError(`upstream "${input.upstream.name}" cannot count this API's tokens`);
  if (api === 'openai-embed' || api === 'gemini-embed') return prepareEmbeddings(input, api);
  return prepareTranslated(input, api);
}
