import type { CorsConfig } from '../config/schema/index';

const EXPOSED =
  'x-request-id, x-switchyard-attempts, x-switchyard-group, x-switchyard-cache, server-timing, retry-after, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens';
const METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

function allowedOrigin(cors: CorsConfig, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (cors.origins.includes('*')) return '*';
  return cors.origins.includes(origin) ? origin : undefined;
}

/** Headers added to every response for a cross-origin request whose origin is allowed. */
export function addCorsHeaders(
  cors: CorsConfig | null,
  origin: string | undefined,
  out: Record<string, string>,
): void {
  if (!cors) return;
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return;
  out['access-control-allow-origin'] = allowed;
  out['access-control-expose-headers'] = EXPOSED;
  if (allowed !== '*') out.vary = 'Origin';
}

/** The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function preflightHeaders(
  cors: CorsConfig,
  origin: string | undefined,
  requestedHeaders: string | undefined,
): Record<string, string> | undefined {
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return undefined;
  const headers: Record<string, string> = {
    'access-control-allow-origin': allowed,
    'access-control-allow-methods': METHODS,
    'access-control-allow-headers':
      cors.headers?.join(', ') ?? requestedHeaders ?? 'authorization, content-type',
    'access-control-max-age': String(Math.round(cors.max_age / 1000)),
    'content-length': '0',
  };
  if (allowed !== '*') headers.vary = 'Origin, Access-Control-Request-Headers';
  return headers;
}
