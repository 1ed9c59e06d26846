import { type AttemptInput, attemptRequest } from '../attempt';
import type { PreparedAttempt } from '../types';
import { geminiPath, geminiTarget } from './path';

/**
 * A Gemini client's request to a Gemini upstream: passed through byte for byte. Only the path
 * may change (a route's `rewrite.model` puts the model sent there, since Gemini's model is in
 * the path). The client's `?key=` was taken off the target when the request arrived
 * (`takeQueryCredential`); the upstream key goes in `x-goog-api-key`.
 */
export function prepareGeminiNative(input: AttemptInput): PreparedAttempt {
  const { ctx } = input;
  const target = geminiTarget(ctx.path);
  const q = ctx.url.indexOf('?');
  const query = q === -1 ? '' : ctx.url.slice(q);
  const path = target ? geminiPath(target, ctx.sentModel ?? target.model) : ctx.path;
  return {
    request: attemptRequest(input, {
      path: path + query,
      method: ctx.method,
      headers: input.headers,
      body: ctx.body,
    }),
    addedStreamUsage: false,
  };
}
