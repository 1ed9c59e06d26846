import type { Provider } from '../providers/types';
import type { Verdict } from './verdict';

/**
 * Status rules, checked after the provider's error markers. Statuses not listed fall into
 * their class: 2xx success, other 4xx client error, 5xx upstream fault.
 */
const STATUS_VERDICTS: Readonly<Record<number, Verdict>> = {
  401: 'invalid_key',
  403: 'invalid_key',
  408: 'upstream_fault',
  429: 'rate_limited',
  529: 'upstream_fault',
};

/** Statuses whose body may change the verdict, so the gateway reads it before committing. */
export function mayNeedBody(status: number): boolean {
  return status === 401 || status === 402 || status === 403 || status === 429 || status >= 500;
}

export function classifyResponse(status: number, body: string | undefined, provider: Provider): Verdict {
  if (status >= 200 && status < 400) return 'success';
  if (body) {
    for (const marker of provider.errorMarkers) {
      if (body.includes(marker.contains)) return marker.verdict;
    }
  }
  const listed = STATUS_VERDICTS[status];
  if (listed) return listed;
  if (status === 402) return 'quota_exhausted';
  return status >= 500 ? 'upstream_fault' : 'client_error';
}

/** Transport failures: connect refused/reset, DNS, TLS, timeouts, or the client going away. */
export function classifyError(err: Error & { code?: string }): Verdict {
  if (err.name === 'ClientCancelledError') return 'client_cancelled';
  return 'upstream_fault';
}
