import type { RequestContext } from '../core/context';
import { utf8 } from '../http/bytes';
import { type AttemptInput, attemptRequest } from './attempt';
import { prepareEmbeddings } from './gemini/embed-prepare';
import { prepareGeminiNative } from './gemini/native';
import { withStreamUsage } from './openai/stream-usage';
import { withoutForeignReasoning } from './responses/native-body';
import { clientApiOf, speaksNatively } from './translate/formats';
import { prepareTranslated, UntranslatableError } from './translate/prepare';
import type { PreparedAttempt } from './types';

/**
 * The OpenAI-compatible shape of an attempt: the upstream's base path before the client's path
 * and query, the key in the provider's auth header, the body as the client sent it (with
 * `include_usage` added to a stream when the gateway needs its usage, and without reasoning items
 * the gateway wrote for Anthropic in a Responses request).
 */
export function prepareOpenAiCompatible(input: AttemptInput): PreparedAttempt {
  const { ctx } = input;
  const withUsage = input.streamUsage ? withStreamUsage(ctx) : undefined;
  const rewritten = withUsage ?? nativeResponsesBody(ctx);
  const body = rewritten ? utf8(JSON.stringify(rewritten)) : ctx.body;
  return {
    request: attemptRequest(input, { path: ctx.url, method: ctx.method, headers: input.headers, body }),
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
