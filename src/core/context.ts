import type { Admission } from '../access/admission';
import type { AttemptRecord } from '../health/tracker';
import type { Verdict } from '../health/verdict';
import type { HeaderRecord } from '../http/types';
import type { UpstreamKey } from '../routing/key-pool';
import type { Route } from '../routing/route';
import type { Upstream } from '../routing/upstream';

export interface ClientIdentity {
  readonly name: string;
}

/**
 * Watches a committed response without delaying it. `transformChunk` may return the chunk
 * changed (for example without an SSE event the client did not ask for).
 */
export interface ResponseObserver {
  onHead?(status: number, headers: HeaderRecord): void;
  transformChunk?(chunk: Uint8Array): Uint8Array;
  /** The stream ended: bytes `transformChunk` still held back, to send before the end. */
  flush?(): Uint8Array | undefined;
  /** Asked after `onHead`: true when `transformChunk` may change the bytes (the length is dropped). */
  rewritesBody?(): boolean;
  /** A complete held body (plain JSON answers). */
  onBody?(body: Uint8Array): void;
  /**
   * The answer was translated from another API: its usage, normalised once by the translator
   * (prompt tokens include cache reads and writes). It wins over what the client's bytes say.
   */
  onUsage?(usage: { promptTokens: number; completionTokens: number; cachedTokens: number }): void;
  onEnd?(interrupted: boolean): void;
}

/** The response cache's part in a request (src/cache), on routes that cache. */
export interface CacheMark {
  readonly result: 'hit' | 'miss' | 'bypass';
  /** On a hit: the tokens and cost the stored answer took when it was made, saved this time. */
  readonly savedTokens: number;
  readonly savedCost: number | null;
}

/**
 * One client request as it walks the lifecycle (docs/lifecycle.md). A plain class with every
 * field declared up front, so each request has the same shape and allocates once.
 */
export class RequestContext {
  /** performance.now() at receipt; all durations are measured from here. */
  readonly startedAt: number;
  readonly receivedAt: number = Date.now();
  body: Uint8Array | null = null;
  /** The parsed JSON body, when a step needed it. */
  json: Record<string, unknown> | undefined = undefined;
  jsonParsed = false;
  /** Set when a step changed `json`: the body is serialised again, once, before sending. */
  bodyDirty = false;
  model: string | undefined = undefined;
  /** The model sent upstream when a route rewrote it (`model` keeps the one requested). */
  sentModel: string | undefined = undefined;
  /** The `?key=` credential taken off the target (src/access/credential.ts); never in `url`. */
  queryCredential: string | undefined = undefined;
  /** Who is calling, once identified (an auth key or a client token). */
  client: ClientIdentity | undefined = undefined;
  /** What access control admitted the request with: limits held, usage meter, final usage (src/access). */
  admission: Admission | undefined = undefined;
  /** Hit, miss or bypass of the response cache; undefined when the route does not cache. */
  cache: CacheMark | undefined = undefined;
  /**
   * Makes the observer of the committed response (usage accounting), set by access control when
   * it needs usage; `addedStreamUsage`: the attempt's provider asked for stream usage the client
   * did not ask for, which the observer removes.
   */
  observeResponse: ((addedStreamUsage: boolean) => ResponseObserver) | undefined = undefined;
  /** Access control needs usage from a stream (the provider may ask the upstream to send it). */
  streamUsage = false;
  /** Sees the committed response as it passes; set at commit from `observeResponse`. */
  responseObserver: ResponseObserver | undefined = undefined;
  stream = false;
  route: Route | undefined = undefined;
  /** The traffic-split group the route chose, when it has a split. */
  routeGroup: string | undefined = undefined;
  /** What consistent-hash hashes for this request (client IP, a header, the client). */
  hashKey: string | undefined = undefined;
  /** The request headers to forward when a route changed them (raw `[name, value, …]` list). */
  forwardHeaders: string[] | undefined = undefined;
  upstream: Upstream | undefined = undefined;
  key: UpstreamKey | undefined = undefined;
  readonly attempts: AttemptRecord[] = [];
  status = 0;
  verdict: Verdict | undefined = undefined;
  /** Milliseconds from receipt to the first upstream response byte of the committed attempt. */
  ttfbMs: number | undefined = undefined;
  /** Milliseconds spent waiting on upstreams (all attempts), for Server-Timing. */
  upstreamMs = 0;
  error: string | undefined = undefined;
  /** The `X-Forwarded-For` sent upstream: the peer, after the chain of a trusted proxy. */
  forwardedFor = '';
  /** `server.forward_cookies`: the client's `Cookie` header goes upstream. */
  forwardCookies = false;
  cancelled = false;
  /** The request id is the client's `X-Request-Id` (client text: redacted where it is logged). */
  idGiven = false;
  /** Receipt to the end of the answer, fixed once when the request is accounted (`Gateway.account`). */
  finishedMs: number | undefined = undefined;
  /** Response headers every reply to this request carries (request id, CORS). */
  readonly replyHeaders: Record<string, string>;

  constructor(
    readonly id: string,
    readonly method: string,
    /** Normalised path and query (src/core/request-target.ts): routed on and forwarded as is. */
    readonly url: string,
    /** The `Host` header, or the authority of an absolute-form target. */
    readonly host: string,
    readonly clientIp: string,
    readonly userAgent: string,
    startedAt: number,
    replyHeaders: Record<string, string>,
  ) {
    this.startedAt = startedAt;
    this.replyHeaders = replyHeaders;
  }

  /** The request's duration: as fixed when it was accounted, else up to now. */
  durationMs(): number {
    return this.finishedMs ?? performance.now() - this.startedAt;
  }

  get path(): string {
    const q = this.url.indexOf('?');
    return q === -1 ? this.url : this.url.slice(0, q);
  }
}
