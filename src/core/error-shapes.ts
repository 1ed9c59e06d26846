import type { GatewayError } from './errors';

/**
 * The shape of the gateway's own errors (no route, authentication, limits, no upstream left…)
 * by the client's API, told from the request path. The first row whose `matches` holds gives the
 * body; a path no row matches gets OpenAI's shape (`errorBody`). The status never changes, so an
 * SDK raises the class it raises for that status. One row per client API.
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

/** Gemini's `error.status` (a google.rpc code name) for a status, where one fits better than by class. */
const GEMINI_STATUSES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
  529: 'UNAVAILABLE',
};

/** Gemini's `error.status` for any status: the table's, else by class (4xx, 5xx). */
export function geminiErrorStatus(status: number): string {
  return GEMINI_STATUSES[status] ?? (status < 500 ? 'INVALID_ARGUMENT' : 'INTERNAL');
}

/**
 * Gemini API paths: `/v1beta/…` and `/v1alpha/…` (models, their methods, the model list), and a
 * model method under `/v1/` (`/v1/models/{model}:generateContent`; not OpenAI's `/v1/models`).
 */
const GEMINI_PATH = /\/v1(?:beta|alpha)\/|\/v1\/models\/[^/]+:[A-Za-z]+$/;

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
  {
    api: 'gemini',
    matches: (path) => GEMINI_PATH.test(path),
    body: (err) => ({
      error: { code: err.status, message: err.message, status: geminiErrorStatus(err.status) },
    }),
  },
];

/** The body of a gateway error in the client API's shape, or undefined for OpenAI's. */
export function clientErrorBody(err: GatewayError, path: string, requestId: string): string | undefined {
  const shape = ERROR_SHAPES.find((row) => row.matches(path));
  return shape ? JSON.stringify(shape.body(err, requestId)) : undefined;
}
