import type { Provider } from '../providers/types';
import type { Verdict } from './verdict';

/** A verdict, and the provider error marker that decided it, when one did. */
export interface Classification {
  readonly verdict: Verdict;
  readonly marker?: string;
}

/**
 * Status rules, checked after the provider's error markers. Statuses not listed fall into
 * their class: 2xx/3xx success, other 4xx client error, 5xx upstream fault.
 */
const STATUS_VERDICTS: Readonly<Record<number, Verdict>> = {
  401: 'invalid_key',
  402: 'quota_exhausted',
  403: 'invalid_key',
  408: 'upstream_fault',
  429: 'rate_limited',
  529: 'upstream_fault',
};

const SUCCESS: Classification = Object.freeze({ verdict: 'success' });
const BY_VERDICT = new Map<Verdict, Classification>();

/**
 * Error statuses: their (small) body may carry a provider marker that changes the verdict
 * (Gemini answers a bad key with 400 API_KEY_INVALID), so the gateway reads it before committing.
 */
export function mayNeedBody(status: number): boolean {
  return status >= 400;
}

/** The one place a response becomes a verdict (docs/health.md has the table). */
export function classifyResponse(
  status: number,
  body: string | undefined,
  provider: Provider,
): Classification {
  if (status >= 200 && status < 400) return SUCCESS;
  if (body && mayNeedBody(status)) {
    for (const marker of provider.errorMarkers) {
      if (body.includes(marker.contains)) return { verdict: marker.verdict, marker: marker.contains };
    }
  }
  const listed = STATUS_VERDICTS[status];
  return of(listed ?? (status >= 500 ? 'upstream_fault' : 'client_error'));
}

/** Transport failures: connect refused/reset, DNS, TLS and timeouts are upstream faults. */
export function classifyError(err: Error & { code?: string }): Classification {
  if (err.name === 'ClientCancelledError') return of('client_cancelled');
  return of('upstream_fault');
}

function of(verdict: Verdict): Classification {
  let found = BY_VERDICT.get(verdict);
  if (!found) {
    found = Object.freeze({ verdict });
    BY_VERDICT.set(verdict, found);
  }
  return found;
}
