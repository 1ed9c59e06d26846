/**
 * Every error the gateway itself makes, in one table (fastify's habit): a stable code,
 * an HTTP status and the OpenAI error `type`. Upstream client errors (4xx) are passed through;
 * errors that originate here, and upstream answers that are not the client's business (the
 * upstream refused the gateway's key, a redirect), use this table. Messages are generic: the
 * detail (upstream names, undici's text) goes to the log and the request record only.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

export const ERROR_TABLE = {
  invalid_api_key: {
    status: 401,
    type: 'invalid_request_error',
    message: 'Invalid or missing API key. Send it as "Authorization: Bearer <key>".',
  },
  model_not_allowed: {
    status: 403,
    type: 'invalid_request_error',
    message: 'This API key may not use the requested model.',
  },
  route_not_allowed: {
    status: 403,
    type: 'invalid_request_error',
    message: 'This API key may not use the route this request matched.',
  },
  ip_not_allowed: {
    status: 403,
    type: 'invalid_request_error',
    message: 'This API key may not be used from this IP address.',
  },
  forbidden: { status: 403, type: 'invalid_request_error', message: 'This request is not allowed.' },
  not_found: { status: 404, type: 'invalid_request_error', message: 'Unknown path.' },
  model_not_found: {
    status: 404,
    type: 'invalid_request_error',
    message: 'The requested model is not served by this gateway.',
  },
  no_route: { status: 404, type: 'invalid_request_error', message: 'No route matches this request.' },
  route_rejected: {
    status: 403,
    type: 'invalid_request_error',
    message: "This request is refused by the gateway's routing rules.",
  },
  method_not_allowed: { status: 405, type: 'invalid_request_error', message: 'Method not allowed.' },
  admin_read_only: {
    status: 405,
    type: 'invalid_request_error',
    message: 'The admin API is read-only on this deployment (Cloudflare Workers): only GET is served.',
  },
  invalid_json: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body is not valid JSON.',
  },
  json_too_deep: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request body nests objects and arrays too deeply.',
  },
  invalid_request: { status: 400, type: 'invalid_request_error', message: 'The request is invalid.' },
  invalid_target: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request target cannot be normalised to a path.',
  },
  bad_request: { status: 400, type: 'invalid_request_error', message: 'The HTTP request is malformed.' },
  request_timeout: {
    status: 408,
    type: 'timeout_error',
    message: 'The client did not send the request in time.',
  },
  headers_too_large: {
    status: 431,
    type: 'invalid_request_error',
    message: 'The request headers are too large.',
  },
  request_not_forwardable: {
    status: 400,
    type: 'invalid_request_error',
    message: 'The request cannot be forwarded as sent (unsupported header, method or target).',
  },
  image_not_fetched: {
    status: 400,
    type: 'invalid_request_error',
    message: 'An image URL in the request could not be fetched.',
  },
  n_unsupported: {
    status: 400,
    type: 'invalid_request_error',
    message: 'This request asks for several choices (n > 1), which no upstream of its route can give.',
  },
  unsupported_transfer_encoding: {
    status: 501,
    type: 'invalid_request_error',
    message: 'The request uses a transfer coding the gateway does not implement (only "chunked" is).',
  },
  expectation_failed: {
    status: 417,
    type: 'invalid_request_error',
    message: 'The Expect header is not supported (only "100-continue" is).',
  },
  request_too_large: {
    status: 413,
    type: 'invalid_request_error',
    message: 'The request body is too large.',
  },
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error', message: 'Rate limit exceeded.' },
  quota_exceeded: { status: 429, type: 'insufficient_quota', message: 'Quota exceeded.' },
  budget_exceeded: { status: 429, type: 'insufficient_quota', message: 'Spending budget exceeded.' },
  quota_unavailable: {
    status: 429,
    type: 'insufficient_quota',
    message:
      'The shared state that holds quotas and budgets is unreachable, so this client (which has a quota or budget) is refused until it is back; retry after the time in Retry-After.',
  },
  concurrency_limit_exceeded: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Too many concurrent requests for this API key.',
  },
  all_keys_rate_limited: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Every upstream key is rate limited; retry after the time in Retry-After.',
  },
  admin_unauthorized: {
    status: 401,
    type: 'invalid_request_error',
    message: 'Invalid or missing admin key. Send it as "Authorization: Bearer <admin key>".',
  },
  admin_rate_limited: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Too many failed admin key attempts from this address; retry after the time in Retry-After.',
  },
  admin_disabled: {
    status: 404,
    type: 'invalid_request_error',
    message: 'The admin API is off: set admin.key (or SWITCHYARD_ADMIN_KEY) to turn it on.',
  },
  validation_failed: { status: 400, type: 'invalid_request_error', message: 'The request is invalid.' },
  resource_not_found: { status: 404, type: 'invalid_request_error', message: 'No such resource.' },
  conflict: {
    status: 409,
    type: 'invalid_request_error',
    message: 'The resource conflicts with an existing one.',
  },
  read_only: {
    status: 409,
    type: 'invalid_request_error',
    message: 'This object comes from the configuration file and is read-only in the API.',
  },
  internal_error: { status: 500, type: 'server_error', message: 'Internal gateway error.' },
  invalid_config: {
    status: 500,
    type: 'server_error',
    message: "The gateway's configuration is invalid.",
  },
  upstream_unreachable: {
    status: 502,
    type: 'upstream_error',
    message: 'The upstream could not be reached.',
  },
  upstream_bad_response: {
    status: 502,
    type: 'upstream_error',
    message: 'The upstream response was cut short or malformed.',
  },
  upstream_keys_rejected: {
    status: 502,
    type: 'upstream_error',
    message:
      "The upstream refused the gateway's own credentials (a gateway configuration problem, not your API key).",
  },
  upstream_redirect: {
    status: 502,
    type: 'upstream_error',
    message: 'The upstream answered with a redirect, which the gateway does not follow or pass on.',
  },
  upstream_stream_interrupted: {
    status: 502,
    type: 'upstream_error',
    message: 'The upstream stream was interrupted before it finished.',
  },
  no_upstream_configured: {
    status: 503,
    type: 'service_unavailable',
    message:
      'No upstream is configured. Set SWITCHYARD_UPSTREAM_URL and SWITCHYARD_KEYS, or write a switchyard.yaml with an upstreams list (see README).',
  },
  no_healthy_upstream: {
    status: 503,
    type: 'service_unavailable',
    message: 'No healthy upstream or key is available for this request.',
  },
  too_many_connections: {
    status: 503,
    type: 'service_unavailable',
    message: 'Too many open connections; retry later.',
  },
  shutting_down: { status: 503, type: 'service_unavailable', message: 'The gateway is shutting down.' },
  store_unavailable: {
    status: 503,
    type: 'service_unavailable',
    message:
      'The store (PostgreSQL) is unreachable, so nothing was changed; the gateway reconnects, retry shortly.',
  },
  state_unavailable: {
    status: 503,
    type: 'service_unavailable',
    message:
      'The shared state (Redis) is unreachable, so the shared response cache could not be read or purged; the gateway reconnects, retry shortly.',
  },
  upstream_timeout: { status: 504, type: 'timeout_error', message: 'The upstream did not answer in time.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export interface GatewayErrorOptions {
  readonly message?: string;
  readonly param?: string | null;
  /** Overrides the table's status (a route's configured rejection). */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
  /** What the operator sees (log line, request record) instead of the client's message. */
  readonly detail?: string;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const spec: ErrorSpec = ERROR_TABLE[code];
    super(
      options.message ?? spec.message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? spec.status;
    this.type = spec.type;
    this.param = options.param ?? null;
    this.headers = options.headers;
    this.detail = options.detail;
  }
}

/** OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
export function errorBody(err: GatewayError): string {
  return JSON.stringify({
    error: { message: err.message, type: err.type, param: err.param, code: err.code },
  });
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}
