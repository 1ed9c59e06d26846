import { upstreamRequestHeaders } from '../../proxy/headers';
import { authValueFor } from '../auth-value';
import type { AttemptInput } from '../prepare';
import type { PreparedAttempt } from '../types';
import { geminiPath, geminiTarget } from './path';

/**
 * A Gemini client's request to a Gemini upstream: passed through byte for byte. Only the path
 * may change (a route's `rewrite.model` puts the model sent there, since Gemini's model is in
 * the path). The client's `?key=` was taken off the target when the request arrived
 * (`takeQueryCredential`); the upstream key goes in `x-goog-api-key`.
 */
export function prepareGeminiNative(input: AttemptInput): PreparedAttempt {
  const { ctx, upstream, key } = input;
  const { provider, timeouts } = upstream;
  const target = geminiTarget(ctx.path);
  const q = ctx.url.indexOf('?');
  const query = q === -1 ? '' : ctx.url.slice(q);
  const path = target ? geminiPath(target, ctx.sentModel ?? target.model) : ctx.path;
  return {
    request: {
      path: upstream.basePath + path + query,
      method: ctx.method,
      headers: upstreamRequestHeaders(input.headers, {
        authHeader: key ? provider.authHeader : null,
        authValue: key ? authValueFor(provider, key) : null,
        requestId: ctx.id,
        contentLength: ctx.body ? ctx.body.length : null,
        extra: upstream.config.headers,
        defaults: provider.defaultHeaders,
        forwardedFor: ctx.forwardedFor,
        cookies: ctx.forwardCookies,
      }),
      body: ctx.body,
      headersTimeout: timeouts.first_byte,
      bodyTimeout: timeouts.idle,
    },
    addedStreamUsage: false,
  };
}
