import { type AccessControl, GatewayAccess } from '../access/access';
import { takeQueryCredential } from '../access/credential';
import { isConsolePath, serveConsole } from '../admin/console-serve';
import { AdminRouter } from '../admin/router';
import type { ResponseCache } from '../cache/response-cache';
import type { Config } from '../config/schema/index';
import type { BodyDecoder } from '../core/body-decoder';
import { RequestContext } from '../core/context';
import { addCorsHeaders, preflightHeaders } from '../core/cors';
import { EdgeCounters } from '../core/edge-counters';
import { GatewayError } from '../core/errors';
import { sendError, sendJson } from '../core/reply';
import { ASTERISK, type NormalisedTarget, normaliseTarget } from '../core/request-target';
import type { HealthTracker } from '../health/tracker';
import { type ClientRequest, type ClientSink, flatten } from '../http/types';
import { configSecrets } from '../observe/config-secrets';
import type { Logger } from '../observe/logger';
import type { Redactor } from '../observe/redact';
import type { ImageNetwork } from '../providers/translate/image-fetch';
import type { ProxyDeps } from '../proxy/exchange';
import type { Transport } from '../proxy/transport';
import { buildSnapshot, type ConfigSnapshot } from '../routing/config-snapshot';
import { UpstreamStats } from '../routing/upstream-stats';
import type { CursorStore } from '../state/cursor-store';
import { handleApiRequest, type LifecycleDeps } from './lifecycle';
import { logRequest } from './request-line';
import { type DependencyStatus, healthReport } from './status';

export interface GatewayOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly transport: Transport;
  readonly health: HealthTracker;
  readonly random?: () => number;
  readonly now?: () => number;
  /** Schedules accounting after the response (default: the next turn of the event loop). */
  readonly defer?: Defer;
  /** Access control with durable state (startGateway passes one backed by SQLite). */
  readonly access?: AccessControl;
  /** Decodes compressed request bodies when `server.compression` is on (the Node adapter's zlib). */
  readonly decodeBody?: BodyDecoder;
  /** Fetches image URLs a translated upstream needs inline (the Node adapter's DNS and HTTP). */
  readonly imageNetwork?: ImageNetwork;
}

export type RequestListener = (ctx: RequestContext) => void;

/** Runs `run(arg)` on a later turn of the event loop, after the current I/O. */
export type Defer = <T>(run: (arg: T) => void, arg: T) => void;

/** `setImmediate` where the runtime has it (Node: after the socket write), else a zero timer. */
const nextTurn: Defer = (() => {
  const immediate = (globalThis as { setImmediate?: Defer }).setImmediate;
  return immediate ? (run, arg) => immediate(run, arg) : (run, arg) => setTimeout(run, 0, arg);
})();

/** What `OPTIONS *` answers: the methods the gateway serves. */
const SERVER_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
/** The context of a request whose target was refused: it is answered without routing. */
const FALLBACK: NormalisedTarget = { url: '/', host: undefined };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The assembled gateway: the current runtime (swapped whole on reload), the data-plane
 * dependencies and the entry point for every HTTP request.
 */
export class Gateway implements LifecycleDeps {
  runtime: ConfigSnapshot;
  access: AccessControl;
  readonly logger: Logger;
  readonly proxyDeps: ProxyDeps;
  readonly health: HealthTracker;
  /** Called for every finished request, after the response: usage, metrics, request log. */
  readonly requestListeners: RequestListener[] = [];
  /** Add their fields to `GET /health` (the shared state's status). */
  readonly healthDetails: (() => Record<string, unknown>)[] = [];
  /** Called after each configuration swap (active checks and keep-alive pings resync here). */
  readonly reloadListeners: ((runtime: ConfigSnapshot) => void)[] = [];
  /** Servers the gateway depends on, by name, for `/health` (the Node adapter adds its store). */
  readonly dependencies = new Map<string, () => DependencyStatus>();
  /** Live latency and error figures per upstream name; survive reloads. */
  readonly upstreamStats: UpstreamStats;
  /** The admin API; features register their routes on it. Off while no admin key is set. */
  readonly admin: AdminRouter;
  readonly decodeBody: BodyDecoder | undefined;
  readonly imageNetwork: ImageNetwork | undefined;
  /** The response cache (src/cache), once attached. */
  cache: ResponseCache | undefined = undefined;
  /** Rotation cursors shared by a fleet (the Node adapter sets them with `state.url`, or with `server.workers` above 1). */
  cursors: CursorStore | undefined = undefined;
  inFlight = 0;
  draining = false;
  /** Clients cut off or refused at the edge (timeouts, connection caps, parser errors). */
  readonly edge = new EdgeCounters();
  private readonly redactor: Redactor;
  /** The redactor's remembered field pass, for the request line. */
  private readonly redactField = (text: string): string => this.redactor.redactField(text);
  private readonly now: () => number;
  private readonly defer: Defer;

  constructor(options: GatewayOptions) {
    this.logger = options.logger;
    this.redactor = options.redactor;
    this.health = options.health;
    this.now = options.now ?? Date.now;
    this.defer = options.defer ?? nextTurn;
    this.decodeBody = options.decodeBody;
    this.imageNetwork = options.imageNetwork;
    this.access = options.access ?? new GatewayAccess(options.config, { now: this.now });
    this.proxyDeps = {
      transport: options.transport,
      health: options.health,
      random: options.random ?? Math.random,
      now: this.now,
      warnUnavailable: (route, detail) => this.warnUnavailable(route.name, detail),
      redact: (text) => options.redactor.redact(text),
      redactRegistered: (text) => options.redactor.redactRegistered(text),
      keyGate: this.access.keyGate,
    };
    this.upstreamStats = new UpstreamStats(this.now);
    this.runtime = buildSnapshot(options.config, this.proxyDeps.random, this.upstreamStats);
    this.admin = new AdminRouter(this.now);
    this.admin.onAuthLimited = () => this.edge.count('admin_auth_limited');
    this.admin.setKey(options.config.admin.key);
    this.admin.authFailures.limit = options.config.admin.max_auth_failures;
    this.applySecrets(options.config);
  }

  /** Swaps in a new configuration; requests already running keep the runtime they started with. */
  applyConfig(config: Config): void {
    this.runtime = buildSnapshot(config, this.proxyDeps.random, this.upstreamStats, this.runtime);
    this.access.configure(config);
    this.admin.setKey(config.admin.key);
    this.admin.authFailures.limit = config.admin.max_auth_failures;
    this.applySecrets(config);
    for (const listener of this.reloadListeners) listener(this.runtime);
  }

  private applySecrets(config: Config): void {
    this.redactor.replaceAll(configSecrets(config));
  }

  /** The entry point for every HTTP request on the public listener. */
  handle(req: ClientRequest, sink: ClientSink): void {
    const runtime = this.runtime;
    const target = this.target(req);
    const ctx = this.createContext(req, runtime, target instanceof GatewayError ? FALLBACK : target);
    if (target instanceof GatewayError || target === ASTERISK) {
      this.answerTarget(req, sink, ctx, target);
      return;
    }
    const { cors } = runtime.config.server;
    if (req.method === 'OPTIONS' && cors && req.header('access-control-request-method')) {
      const headers = preflightHeaders(
        cors,
        req.header('origin'),
        req.header('access-control-request-headers'),
      );
      if (!headers) {
        const message = 'The CORS preflight is refused: the origin is not allowed (server.cors.origins).';
        sendError(sink, ctx, new GatewayError('forbidden', { message }));
        return;
      }
      sink.writeHead(204, flatten(headers));
      sink.end();
      return;
    }
    const path = ctx.path;
    if (path === '/health' || path === '/healthz') {
      const details = this.healthDetails.map((detail) => detail());
      const report = healthReport(runtime, this.health, this.now(), this.dependencies);
      sendJson(sink, ctx, 200, Object.assign(report, ...details));
      return;
    }
    if (path.startsWith('/admin/') || path === '/admin' || path === '/metrics') {
      const call = { replyHeaders: ctx.replyHeaders, clientIp: ctx.clientIp, target: ctx.url };
      this.admin.handle(req, sink, call).catch((err: unknown) => {
        this.logger.error({ err }, 'admin request failed');
      });
      return;
    }
    if (isConsolePath(path)) {
      serveConsole(this.admin, req, sink, ctx.replyHeaders, 'public', ctx.url);
      return;
    }
    if (this.draining) {
      ctx.replyHeaders.connection = 'close';
      sendError(sink, ctx, new GatewayError('shutting_down'));
      return;
    }
    this.inFlight++;
    void handleApiRequest(this, runtime, ctx, req, sink);
  }

  /** Step "account": runs once per API request after its response is done. */
  account(ctx: RequestContext): void {
    this.inFlight--;
    ctx.finishedMs = performance.now() - ctx.startedAt;
    this.access.release(ctx);
    this.pendingAccounts++;
    this.accountQueue.push(ctx);
    if (this.accountQueue.length === 1) this.defer(this.runAccountQueue, undefined);
  }

  /** Requests finished since the last accounting turn: one deferred turn serves them all. */
  private accountQueue: RequestContext[] = [];

  private readonly runAccountQueue = (): void => {
    const queue = this.accountQueue;
    this.accountQueue = [];
    for (const ctx of queue) this.runAccounting(ctx);
  };

  /** Requests whose log line and listeners have not run yet (a drain waits for them). */
  pendingAccounts = 0;

  /**
   * The log line and the listeners run on the next turn of the event loop, after the response's
   * bytes were handed to the socket: accounting never delays an answer.
   */
  private readonly runAccounting = (ctx: RequestContext): void => {
    this.pendingAccounts--;
    logRequest(this.logger, ctx, this.redactField);
    for (const listener of this.requestListeners) {
      try {
        listener(ctx);
      } catch (err) {
        this.logger.error({ err }, 'request listener failed');
      }
    }
  };

  private readonly lastUnavailableWarning = new Map<string, number>();

  /** Says, at most every 10 s per route, that a route has nothing usable left. */
  private warnUnavailable(route: string, detail: string): void {
    const now = performance.now();
    if (now - (this.lastUnavailableWarning.get(route) ?? Number.NEGATIVE_INFINITY) < 10_000) return;
    this.lastUnavailableWarning.set(route, now);
    this.logger.warn({ route, detail }, 'no usable upstream or key for this route');
  }

  /** A refused target (400, logged) or `OPTIONS *` (the methods served): nothing is routed. */
  private answerTarget(
    req: ClientRequest,
    sink: ClientSink,
    ctx: RequestContext,
    target: GatewayError | NormalisedTarget,
  ): void {
    if (target instanceof GatewayError) {
      ctx.replyHeaders.connection = 'close';
      const sent = takeQueryCredential(req.target).url.slice(0, 256);
      ctx.error = `invalid_target: ${target.message} (sent ${JSON.stringify(sent)})`;
      sendError(sink, ctx, target);
      logRequest(this.logger, ctx, this.redactField);
      return;
    }
    sink.writeHead(200, flatten({ allow: SERVER_METHODS, 'content-length': '0', ...ctx.replyHeaders }));
    sink.end();
  }

  /** The normalised target, or the 400 to answer (docs/routing.md, "Request targets"). */
  private target(req: ClientRequest): NormalisedTarget | GatewayError {
    try {
      return normaliseTarget(req.method, req.target);
    } catch (err) {
      if (err instanceof GatewayError) return err;
      throw err;
    }
  }

  private createContext(
    req: ClientRequest,
    runtime: ConfigSnapshot,
    target: NormalisedTarget,
  ): RequestContext {
    const given = req.header('x-request-id');
    const id = given !== undefined && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    const replyHeaders: Record<string, string> = { 'x-request-id': id };
    addCorsHeaders(runtime.config.server.cors, req.header('origin'), replyHeaders);
    // `?key=` is a credential: off the target before anything forwards, logs, caches or keys it.
    const { url, key } = takeQueryCredential(target.url);
    const ctx = new RequestContext(
      id,
      req.method,
      url,
      target.host ?? req.header('host') ?? '',
      clientIp(req, runtime.config.server.trust_proxy),
      req.header('user-agent') ?? '',
      performance.now(),
      replyHeaders,
    );
    ctx.queryCredential = key;
    ctx.idGiven = id === given;
    ctx.forwardedFor = forwardedFor(req, runtime.config.server.trust_proxy);
    ctx.forwardCookies = runtime.config.server.forward_cookies;
    return ctx;
  }
}

/**
 * What the upstream is told in `X-Forwarded-For`: only what the gateway knows. The peer address;
 * behind a trusted proxy (`server.trust_proxy`), the chain that proxy sent, then the peer.
 */
function forwardedFor(req: ClientRequest, trustProxy: boolean): string {
  const peer = req.remoteAddress;
  if (!trustProxy) return peer;
  const chain = req.header('x-forwarded-for')?.trim();
  return chain ? `${chain}, ${peer}` : peer;
}

function clientIp(req: ClientRequest, trustProxy: boolean): string {
  if (trustProxy) {
    const first = req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.remoteAddress;
}
