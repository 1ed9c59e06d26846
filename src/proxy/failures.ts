/** The client went away; the upstream attempt is aborted with this reason. */
export class ClientCancelledError extends Error {
  override readonly name = 'ClientCancelledError';
  readonly code = 'SY_CLIENT_CANCELLED';
}

/**
 * The transport threw while the request was being handed to it: nothing was sent, and the fault
 * is the gateway's (a 500), never the upstream's.
 */
export class DispatchThrewError extends Error {
  override readonly name = 'DispatchThrewError';
  readonly code = 'SY_DISPATCH_THREW';
}

/** The request's total deadline (non-streaming requests) passed. */
export class TotalTimeoutError extends Error {
  override readonly name = 'TotalTimeoutError';
  readonly code = 'SY_TOTAL_TIMEOUT';
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'SY_TOTAL_TIMEOUT',
]);

export function isTimeout(err: Error & { code?: string }): boolean {
  return err.code !== undefined && TIMEOUT_CODES.has(err.code);
}

/** A short description for logs and the request log: the error code when there is one. */
export function describeFailure(err: Error & { code?: string }): string {
  return err.code ? `${err.code}: ${err.message}` : err.message;
}
