import { retryAfterHeaders } from '../access/limits/rate-headers';
import { GatewayError } from '../core/errors';
import type { Unavailability } from '../health/tracker';

/**
 * The answer when no member can take a request: 429 with Retry-After when every key is only
 * rate limited, else 503 (with Retry-After and retry-after-ms when a recovery time is known).
 * The message says why.
 */
export function unavailableError(why: Unavailability): GatewayError {
  const headers: Record<string, string> = {};
  if (why.retryAfterMs !== undefined) Object.assign(headers, retryAfterHeaders(why.retryAfterMs));
  if (why.kind === 'rate_limited') {
    return new GatewayError('all_keys_rate_limited', {
      message: `Every upstream key is rate limited (${why.detail}); retry after the time in Retry-After.`,
      headers,
    });
  }
  return new GatewayError('no_healthy_upstream', {
    message: `No healthy upstream or key is available for this request (${why.detail}).`,
    headers,
  });
}
