import type { ErrorMarker, Provider } from '../providers/types';
import { type ErrorFields, errorFields } from './error-fields';
import type { Verdict } from './verdict';

/** A verdict, and the provider error marker that decided it, when one did. */
export interface Classification {
  readonly verdict: Verdict;
  readonly marker?: string;
}

/**
 * Status rules, checked after the provider's error markers. Statuses not listed fall into
 * their class: 2xx success, other 4xx client error, 5xx upstream fault. A 403 without a marker
 * is a client error: one endpoint's refusal is no proof that the key is bad.
 */
const STATUS_VERDICTS: Readonly<Record<number, Verdict>> = {
  401: 'invalid_key',
  402: 'quota_exhausted',
  408: 'upstream_fault',
  429: 'rate_limited',
  529: 'upstream_fault',
};

const SUCCESS: Classification = Object.freeze({ verdict: 'success' });
const BY_VERDICT = new Map<Verdict, Classification>();

/**
 * A redirect from an upstream is never passed on (a client would follow it with the gateway's
 * request, or to a host it was never meant to reach): it means the upstream URL is wrong, an
 * upstream fault the operator must see. 304 answers a conditional request and is not one.
 */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/**
 * Error statuses: their (small) body may carry a provider marker that changes the verdict
 * (Gemini answers a bad key with 400 API_KEY_INVALID), so the gateway reads it before committing.
 */
export function mayNeedBody(status: number): boolean {
  return status >= 400 || isRedirect(status);
}

/** The one place a response becomes a verdict (docs/health.md has the table). */
export function classifyResponse(
  status: number,
  body: string | undefined,
  provider: Provider,
): Classification {
  if ((status >= 200 && status < 300) || status === 304) return SUCCESS;
  if (isRedirect(status)) return of('upstream_fault');
  const fields = errorFields(body);
  if (fields) {
    for (const marker of provider.errorMarkers) {
      if (marker.statuses.includes(status) && matches(marker, fields)) {
        return { verdict: marker.verdict, marker: marker.value };
      }
    }
  }
  const listed = STATUS_VERDICTS[status];
  return of(listed ?? (status >= 500 ? 'upstream_fault' : 'client_error'));
}

function matches(marker: ErrorMarker, fields: ErrorFields): boolean {
  if (marker.field === 'reason') return fields.reason.includes(marker.value);
  const value = fields[marker.field];
  if (value === undefined) return false;
  return marker.prefix ? value.startsWith(marker.value) : value === marker.value;
}

/**
 * undici's refusals to build a request (a header, method or target it does not support): raised
 * before a byte reaches the upstream, so they are the request's fault, never the upstream's.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_INVALID_RETURN_VALUE',
]);

/** Whether an attempt error was raised before anything was sent upstream. */
export function isNotSent(err: Error & { code?: string }): boolean {
  return err.code !== undefined && NOT_SENT_CODES.has(err.code);
}

/** The transport threw while taking the request (a gateway fault): nothing was sent either. */
const DISPATCH_THREW = 'SY_DISPATCH_THREW';

/**
 * Transport failures: connect refused/reset, DNS, TLS and timeouts are upstream faults; a request
 * undici refused to build is `not_sent`; a cancel is the client's.
 */
export function classifyError(err: Error & { code?: string }): Classification {
  if (err.name === 'ClientCancelledError') return of('client_cancelled');
  if (isNotSent(err) || err.code === DISPATCH_THREW) return of('not_sent');
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
