import { GatewayError } from '../core/errors';
import { isNotSent, isRedirect } from '../health/classify';
import { headerValue } from '../http/types';
import type { Failure } from './attempt';
import { DispatchThrewError } from './failures';

/**
 * Upstream answers that are not passed on: a redirect, a refusal of the gateway's key (the client
 * would take it for a refusal of its own token) and an error body too large to scan.
 */
export function gatewayAnswerFor(failure: Extract<Failure, { kind: 'response' }>): GatewayError | undefined {
  const detail = `upstream answered HTTP ${failure.status}`;
  if (isRedirect(failure.status)) {
    const location = headerValue(failure.headers, 'location');
    return new GatewayError('upstream_redirect', { detail: `${detail} to ${location ?? '(no location)'}` });
  }
  if (failure.verdict === 'invalid_key') return new GatewayError('upstream_keys_rejected', { detail });
  if (failure.oversized)
    return new GatewayError('upstream_bad_response', { detail: `${detail}, error body too large` });
  return undefined;
}

/** A synchronous throw from the transport: undici's refusal as it is, anything else wrapped. */
export function asNotSent(err: unknown): Error {
  if (err instanceof Error && isNotSent(err)) return err;
  return new DispatchThrewError(err instanceof Error ? err.message : String(err), { cause: err });
}
