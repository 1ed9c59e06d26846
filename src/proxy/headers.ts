import type { HeaderRecord } from '../http/types';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus ones the gateway always sets itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The client's credentials: never forwarded, the upstream key replaces them. */
const CLIENT_CREDENTIALS = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key']);

/** Claims about the client's address: the gateway sets `x-forwarded-for` itself. */
const FORWARDING = new Set(['x-forwarded-for', 'forwarded', 'x-real-ip']);

/**
 * Request headers the gateway does not forward: hop-by-hop, credentials, `host` (the upstream's
 * own is used), `content-length` (recomputed from the body sent), `accept-encoding` (the
 * gateway reads bodies for usage and errors, so it asks upstreams for identity encoding), the
 * client's own forwarding claims, and `expect` (Node answered `100 Continue` to the client; the
 * gateway sends the whole body it holds).
 */
function droppedFromRequest(lower: string): boolean {
  return (
    HOP_BY_HOP.has(lower) ||
    CLIENT_CREDENTIALS.has(lower) ||
    FORWARDING.has(lower) ||
    lower === 'host' ||
    lower === 'content-length' ||
    lower === 'accept-encoding' ||
    lower === 'expect'
  );
}

/** Header names as clients spell them → lower case, or null when never forwarded. */
const forwardable = new Map<string, string | null>();
const FORWARDABLE_LIMIT = 1024;

/**
 * The lower-case name of a request header the gateway may forward, or null: decided once per
 * spelling (clients send the same few names on every request), not lowered and looked up anew.
 */
function forwardableName(name: string): string | null {
  let lower = forwardable.get(name);
  if (lower === undefined) {
    const lowered = name.toLowerCase();
    lower = droppedFromRequest(lowered) || lowered === 'x-request-id' ? null : lowered;
    if (forwardable.size >= FORWARDABLE_LIMIT) forwardable.clear();
    forwardable.set(name, lower);
  }
  return lower;
}

/** Names listed in the `Connection` header are hop-by-hop too. */
function connectionTokens(rawHeaders: readonly string[]): Set<string> | undefined {
  let tokens: Set<string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === 10 && rawHeaders[i]!.toLowerCase() === 'connection') {
      tokens ??= new Set();
      for (const token of rawHeaders[i + 1]!.split(',')) tokens.add(token.trim().toLowerCase());
    }
  }
  return tokens;
}

export interface UpstreamHeaderOptions {
  readonly authHeader: string | null;
  readonly authValue: string | null;
  readonly requestId: string;
  readonly contentLength: number | null;
  readonly extra: Readonly<Record<string, string>>;
  readonly defaults: Readonly<Record<string, string>>;
  /** The `x-forwarded-for` to send ('' sends none). */
  readonly forwardedFor?: string;
  /** Forward the client's `Cookie` header (`server.forward_cookies`); dropped otherwise. */
  readonly cookies?: boolean;
}

/** Builds the flat `[name, value, …]` header list sent upstream from the client's raw headers. */
export function upstreamRequestHeaders(
  rawHeaders: readonly string[],
  options: UpstreamHeaderOptions,
): string[] {
  const listed = connectionTokens(rawHeaders);
  const out: string[] = [];
  const present = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = forwardableName(name);
    if (lower === null || listed?.has(lower)) continue;
    if (lower === 'cookie' && !options.cookies) continue;
    if (lower in options.extra) continue;
    present.add(lower);
    out.push(name, rawHeaders[i + 1]!);
  }
  for (const name in options.defaults) if (!present.has(name)) out.push(name, options.defaults[name]!);
  for (const name in options.extra) out.push(name, options.extra[name]!);
  if (options.authHeader && options.authValue !== null) out.push(options.authHeader, options.authValue);
  if (options.contentLength !== null) out.push('content-length', String(options.contentLength));
  if (options.forwardedFor && !('x-forwarded-for' in options.extra))
    out.push('x-forwarded-for', options.forwardedFor);
  out.push('x-request-id', options.requestId);
  return out;
}

/**
 * Response headers passed to the client, as the flat `[name, value, …]` list `writeHead` takes
 * without building an object: the upstream's, minus hop-by-hop ones, plus the gateway's own
 * (request id, CORS, attempts, timing), which replace the upstream's of the same name. `dropLength`: the body is rewritten on its way
 * (an observer removes an event), so the upstream's length no longer holds. `last`: more of the
 * gateway's own, as a flat list, after `own` and replacing its entries of the same name (the
 * per-response ones, without copying `own` into a new object per response).
 */
export function clientResponseHeaders(
  upstream: HeaderRecord,
  own: Readonly<Record<string, string>>,
  contentLength: number | null,
  dropLength = false,
  last: readonly string[] = NONE,
): string[] {
  const out: string[] = [];
  const listed = listedInConnection(upstream.connection);
  for (const name in upstream) {
    if (HOP_BY_HOP.has(name) || listed?.has(name) || name in own || inFlat(last, name)) continue;
    if (name === 'content-length' && (dropLength || contentLength !== null)) continue;
    const value = upstream[name];
    if (typeof value === 'string') out.push(name, value);
    else if (value !== undefined) for (const item of value) out.push(name, item);
  }
  if (contentLength !== null) out.push('content-length', String(contentLength));
  for (const name in own) if (!inFlat(last, name)) out.push(name, own[name]!);
  for (let i = 0; i < last.length; i++) out.push(last[i]!);
  return out;
}

const NONE: readonly string[] = [];

/** Whether a flat `[name, value, …]` list (a few entries) names `name`. */
function inFlat(flat: readonly string[], name: string): boolean {
  for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return true;
  return false;
}

function listedInConnection(value: string | string[] | undefined): Set<string> | undefined {
  if (typeof value !== 'string' || value === 'keep-alive' || value === 'close') return undefined;
  return new Set(value.split(',').map((token) => token.trim().toLowerCase()));
}
