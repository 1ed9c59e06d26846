import type { RequestContext } from '../core/context';
import type { FlatHeaders } from '../http/types';
import { upstreamRequestHeaders } from '../proxy/headers';
import type { UpstreamRequest } from '../proxy/transport';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import { authValueFor } from './auth-value';

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

/** What differs between the ways an attempt's request is made (passed through, translated…). */
export interface AttemptRequestParts {
  /** The path and query after the upstream's base path. */
  readonly path: string;
  readonly method: string;
  /** The headers to send on, before the gateway's own (auth, request id, forwarding). */
  readonly headers: FlatHeaders;
  readonly body: Uint8Array | null;
}

/**
 * The upstream request of an attempt: the upstream's base path before `parts.path`, the key in
 * the provider's auth header, the gateway's headers added, the upstream's timeouts.
 */
export function attemptRequest(input: AttemptInput, parts: AttemptRequestParts): UpstreamRequest {
  const { ctx, upstream, key } = input;
  const { provider, timeouts } = upstream;
  const { body } = parts;
  return {
    path: upstream.basePath + parts.path,
    method: parts.method,
    headers: upstreamRequestHeaders(parts.headers, {
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
  };
}
