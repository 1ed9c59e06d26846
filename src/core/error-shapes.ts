import type { GatewayError } from './errors';

/**
 * The shape of the gateway's own errors (no route, authentication, limits, no upstream left…)
 * by the client's API, told from the request path. The first row whose `matches` holds gives the
 * body; a path no row matches gets OpenAI's shape (`errorBody`). The status never changes, so an
 * SDK raises the class it raises for that status. One row per client API: Gemini's
 * (`/v1beta/…`, `{"error":{"code","message","status"}}`) is added here as one more row.
 */
export interface ErrorShape {
  /** The client API, for documentation and tests. */
  readonly api: string;
  matches(path: string): boolean;
  body(err: GatewayError, requestId: string): unknown;
}

/** Anthropic's `error.type` for a status, where Anthropic names one (docs: Errors). */
const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Anthropic's `error.type` for any status: the table's, else by class (4xx, 5xx). */
export function anthropicErrorType(status: number): string {
  return ANTHROPIC_TYPES[status] ?? (status < 500 ? 'invalid_request_error' : 'api_error');
}

/** Anthropic Messages paths, `count_tokens` and batches included (not OpenAI's `/threads/…/messages`). */
const ANTHROPIC_PATH = /\/v1\/messages(?:\/|$)/;

export const ERROR_SHAPES: readonly ErrorShape[] = [
  {
    api: 'anthropic',
    matches: (path) => ANTHROPIC_PATH.test(path),
    body: (err, requestId) => ({
      type: 'error',
      error: { type: anthropicErrorType(err.status), message: err.message },
      request_id: requestId,
    }),
  },
];

/** The body of a gateway error in the client API's shape, or undefined for OpenAI's. */
export function clientErrorBody(err: GatewayError, path: string, requestId: string): string | undefined {
  const shape = ERROR_SHAPES.find((row) => row.matches(path));
  return shape ? JSON.stringify(shape.body(err, requestId)) : undefined;
}
