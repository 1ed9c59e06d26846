import type { AttemptRecord } from '../health/tracker';
import type { Verdict } from '../health/verdict';
import type { UpstreamKey } from '../routing/key-pool';
import type { Route } from '../routing/route';
import type { Upstream } from '../routing/upstream';

/**
 * One client request as it walks the lifecycle (docs/lifecycle.md). A plain class with every
 * field declared up front, so each request has the same shape and allocates once.
 */
export class RequestContext {
  /** performance.now() at receipt; all durations are measured from here. */
  readonly startedAt: number;
  readonly receivedAt: number = Date.now();
  body: Buffer | null = null;
  /** The parsed JSON body, when a step needed it. */
  json: Record<string, unknown> | undefined = undefined;
  jsonParsed = false;
  model: string | undefined = undefined;
  stream = false;
  route: Route | undefined = undefined;
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
  cancelled = false;
  /** Response headers every reply to this request carries (request id, CORS). */
  readonly replyHeaders: Record<string, string>;

  constructor(
    readonly id: string,
    readonly method: string,
    /** Path and query exactly as the client sent them. */
    readonly url: string,
    readonly host: string,
    readonly clientIp: string,
    readonly userAgent: string,
    startedAt: number,
    replyHeaders: Record<string, string>,
  ) {
    this.startedAt = startedAt;
    this.replyHeaders = replyHeaders;
  }

  get path(): string {
    const q = this.url.indexOf('?');
    return q === -1 ? this.url : this.url.slice(0, q);
  }
}
