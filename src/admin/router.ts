import { equalBytes, hashing } from '../core/crypto';
import { errorBody, GatewayError, isGatewayError } from '../core/errors';
import { writeJson } from '../core/reply';
import { byteLength, text } from '../http/bytes';
import { type ClientRequest, type ClientSink, flatten } from '../http/types';
import { exceedsDepth } from '../proxy/json-depth';
import { AuthFailureLimiter } from './auth-failures';
import type { ConsoleAssets } from './console-asset';

export interface AdminRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The first value of a request header, by lower-case name. */
  header(name: string): string | undefined;
  /** The raw body ('' when none). */
  text(): Promise<string>;
  /** The body parsed as JSON; a 400 naming the problem when it is not. */
  json(): Promise<unknown>;
}

export interface AdminReply {
  readonly status?: number;
  /** Serialised as JSON unless `text` is given. */
  readonly body?: unknown;
  readonly text?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type AdminHandler = (req: AdminRequest) => AdminReply | Promise<AdminReply>;

/** What the OpenAPI document says of a route. */
export interface AdminRouteDoc {
  readonly summary: string;
  readonly tag: string;
  readonly requestBody?: Record<string, unknown>;
  readonly responses?: Record<string, unknown>;
  readonly query?: readonly { name: string; description: string }[];
}

/** How one admin request arrived. */
export interface AdminCall {
  /** Headers every reply carries (request id, CORS). */
  readonly replyHeaders: Record<string, string>;
  readonly via?: AdminVia;
  /** The caller's address for the failed-key limit (default: the peer's). */
  readonly clientIp?: string;
  /** The normalised request target (default: as sent). */
  readonly target?: string;
}

/** Which listener a request came in on: the public port, or the admin listener (`admin.port`). */
export type AdminVia = 'public' | 'admin';

/** One handled admin request, for the audit log. */
export interface AdminAuditEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
}

interface RouteEntry {
  readonly method: string;
  readonly pattern: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly handler: AdminHandler;
  readonly doc: AdminRouteDoc | undefined;
}

const MAX_ADMIN_BODY = 64 * 1024 * 1024;

/**
 * The admin API's router: `/admin/...` paths with `:param` segments, every call behind the
 * admin key (compared in constant time), errors in OpenAI's shape. Features register their
 * routes in their own files (`registerXxxRoutes(router, …)`).
 */
export class AdminRouter {
  private readonly routes: RouteEntry[] = [];
  private keyDigest: Uint8Array | null = null;
  /** Failed admin key attempts per address (`admin.max_auth_failures` a minute). */
  readonly authFailures: AuthFailureLimiter;
  /** Told when an address is refused for too many failed attempts (metrics). */
  onAuthLimited: (() => void) | undefined;

  constructor(now: () => number = Date.now) {
    this.authFailures = new AuthFailureLimiter(now);
  }
  /** False when `admin.port` moves the admin API and `/metrics` to their own listener. */
  servesPublic = true;
  /** Masks secrets in error messages before they are sent (the logger's redactor). */
  redactMessage: ((message: string) => string) | undefined;
  /** The web console's built files (the runtime adapter reads them); none: the console is not served. */
  consoleAssets: ConsoleAssets | undefined;
  /** Called after every authorised admin request (the audit log). */
  audit: ((entry: AdminAuditEntry) => void) | undefined;

  setKey(key: string | undefined): void {
    this.keyDigest = key ? digest(key) : null;
  }

  get enabled(): boolean {
    return this.keyDigest !== null;
  }

  add(method: string, pattern: string, handler: AdminHandler, doc?: AdminRouteDoc): void {
    const names: string[] = [];
    const source = pattern.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern, regex: new RegExp(`^${source}/?$`), names, handler, doc });
  }

  /** Every registered route, for the OpenAPI document. */
  list(): readonly { method: string; pattern: string; doc: AdminRouteDoc | undefined }[] {
    return this.routes.map(({ method, pattern, doc }) => ({ method, pattern, doc }));
  }

  async handle(req: ClientRequest, sink: ClientSink, call: AdminCall): Promise<void> {
    const { replyHeaders, via = 'public', clientIp = req.remoteAddress } = call;
    const started = performance.now();
    let authorised = false;
    let status = 500;
    const url = new URL(call.target ?? req.target, 'http://admin.invalid');
    try {
      if (via === 'public' && !this.servesPublic) throw new GatewayError('not_found');
      if (!this.keyDigest) throw new GatewayError('admin_disabled');
      this.checkAuthFailures(clientIp);
      if (!this.authorized(req)) {
        this.authFailures.failed(clientIp);
        throw new GatewayError('admin_unauthorized');
      }
      authorised = true;
      const found = this.find(req.method, url.pathname);
      const reply = await found.entry.handler(adminRequest(req, url, found.params));
      status = send(sink, reply, replyHeaders);
    } catch (err) {
      const error = isGatewayError(err) ? err : new GatewayError('internal_error', { cause: err });
      status = error.status;
      if (!sink.headersSent) {
        const body = this.redactMessage ? this.redactMessage(errorBody(error)) : errorBody(error);
        writeJson(sink, error.status, body, replyHeaders, undefined, error.headers);
      }
      if (!isGatewayError(err)) throw err;
    } finally {
      if (authorised && this.audit) {
        const durationMs = performance.now() - started;
        this.audit({ method: req.method, path: url.pathname, status, durationMs });
      }
    }
  }

  private checkAuthFailures(clientIp: string): void {
    const waitMs = this.authFailures.blockedFor(clientIp);
    if (waitMs === 0) return;
    this.onAuthLimited?.();
    throw new GatewayError('admin_rate_limited', {
      headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
    });
  }

  private authorized(req: ClientRequest): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1];
    const presented = bearer ?? req.header('x-admin-key');
    return presented !== undefined && equalBytes(digest(presented), this.keyDigest!);
  }

  /**
   * The route for a path and method. When several patterns match, the most specific wins (the
   * one with the fewest `:params`), so `/admin/upstreams/ranking` is not taken for
   * `/admin/upstreams/:name` whatever the order features registered them in.
   */
  private find(method: string, path: string): { entry: RouteEntry; params: Record<string, string> } {
    let pathMatched = false;
    let best: { entry: RouteEntry; match: RegExpExecArray } | undefined;
    for (const entry of this.routes) {
      const match = entry.regex.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (entry.method !== method) continue;
      if (!best || entry.names.length < best.entry.names.length) best = { entry, match };
    }
    if (!best) throw new GatewayError(pathMatched ? 'method_not_allowed' : 'not_found');
    const params: Record<string, string> = {};
    best.entry.names.forEach((name, i) => {
      params[name] = decodeURIComponent(best.match[i + 1]!);
    });
    return { entry: best.entry, params };
  }
}

function digest(value: string): Uint8Array {
  return hashing().sha256(value);
}

function adminRequest(req: ClientRequest, url: URL, params: Record<string, string>): AdminRequest {
  let body: Promise<string> | undefined;
  const readText = () => {
    body ??= req.readBody(MAX_ADMIN_BODY).then((bytes) => (bytes ? text(bytes) : ''));
    return body;
  };
  return {
    method: req.method,
    path: url.pathname,
    params,
    query: url.searchParams,
    header: (name) => req.header(name),
    text: readText,
    async json() {
      const raw = await readText();
      if (raw === '') return undefined;
      let value: unknown;
      try {
        value = JSON.parse(raw) as unknown;
      } catch (err) {
        throw new GatewayError('invalid_json', { message: jsonErrorMessage(err as Error) });
      }
      if (exceedsDepth(value)) throw new GatewayError('json_too_deep');
      return value;
    },
  };
}

/**
 * The parser's complaint without the body text it quotes (which may be a secret being imported):
 * only the position.
 */
function jsonErrorMessage(err: Error): string {
  const position = /position (\d+)/.exec(err.message)?.[1];
  return position === undefined
    ? 'The body is not valid JSON.'
    : `The body is not valid JSON (syntax error at position ${position}).`;
}

/** Sends an admin reply; returns its status (for the audit log). */
function send(sink: ClientSink, reply: AdminReply, replyHeaders: Record<string, string>): number {
  const status = reply.status ?? 200;
  if (status === 204) {
    sink.writeHead(204, flatten({ ...replyHeaders, ...reply.headers }));
    sink.end();
    return status;
  }
  if (reply.text === undefined && reply.contentType === undefined) {
    writeJson(sink, status, JSON.stringify(reply.body ?? {}), replyHeaders, undefined, reply.headers);
    return status;
  }
  const payload = reply.text ?? JSON.stringify(reply.body ?? {});
  const headers = {
    'content-type': reply.contentType ?? 'application/json',
    'content-length': String(byteLength(payload)),
    ...replyHeaders,
    ...reply.headers,
  };
  sink.writeHead(status, flatten(headers));
  sink.end(payload);
  return status;
}
