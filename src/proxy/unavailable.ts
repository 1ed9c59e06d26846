import { retryAfterHeaders } from '../access/limits/rate-headers';
import { GatewayError } from '../core/errors';
import type { Unavailability } from '../health/tracker';

/**
 * The answer when no member can take a request: 429 with Retry-After when every key is only
 * rate limited; 502 `upstream_keys_rejected` when every key was refused by its upstream; else 503
 * (with Retry-After and retry-after-ms when a recovery time is known). The client gets the table's
 * generic message; why (upstream names, key counts) goes to the log and the request record.
 */
export function unavailableError(why: Unavailability): GatewayError {
  const headers: Record<string, string> = {};
  if (why.retryAfterMs !== undefined) Object.assign(headers, retryAfterHeaders(why.retryAfterMs));
  const detail = why.detail;
  if (why.kind === 'rate_limited') return new GatewayError('all_keys_rate_limited', { headers, detail });
  if (why.kind === 'keys_rejected') return new GatewayError('upstream_keys_rejected', { headers, detail });
  return new GatewayError('no_healthy_upstream', { headers, detail });
}
