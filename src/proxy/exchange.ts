import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { KeyGate } from '../access/limits/key-gate';
import type { RetryPolicy } from '../config/schema/index';
import type { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { isNotSent } from '../health/classify';
import type { AttemptRecord, HealthTracker } from '../health/tracker';
import type { Verdict } from '../health/verdict';
import { maskHeaders, scrubHeldBody } from '../observe/scrub';
import type { UpstreamKey } from '../routing/key-pool';
import type { Route } from '../routing/route';
import { selectTarget, type Target } from '../routing/select';
import type { Upstream } from '../routing/upstream';
import { Attempt } from './attempt';
import {
  ClientCancelledError,
  DispatchThrewError,
  describeFailure,
  isTimeout,
  TotalTimeoutError,
} from './failures';
import { asNotSent, gatewayAnswerFor } from './gateway-answer';
import { clientResponseHeaders, headerValue } from './headers';
import { sendError } from './respond';
import { retryScope } from './retry-policy';
import type { Transport } from './transport';
import { unavailableError } from './unavailable';

export interface ProxyDeps {
  readonly transport: Transport;
  readonly health: HealthTracker;
  readonly random: () => number;
  /** Wall-clock milliseconds; a fake clock in tests. */
  readonly now: () => number;
  /** Warns about a route with nothing usable (throttled by the caller). */
  readonly warnUnavailable: (route: Route, detail: string) => void;
  /**
   * Masks known secrets and key-shaped tokens in what the upstream sends about itself and that
   * the gateway holds anyway: response headers and error bodies (the logger's redactor).
   */
  readonly redact?: (text: string) => string;
  /** Masks only the registered secrets: held success bodies, whose key-shaped text is content. */
  readonly redactRegistered?: (text: string) => string;
  /** Per-upstream-key limits: selection skips keys the gate does not let through. */
  readonly keyGate?: KeyGate;
}

/** What a failed attempt left to send if no retry happens. */
export type Failure =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Buffer;
      readonly verdict: Verdict;
      /** The body was over the hold limit and dropped. */
      readonly oversized: boolean;
    }
  | { readonly kind: 'error'; readonly error: Error; readonly cutShort: boolean };

/**
 * One client request's trip through the upstreams: selection, attempts, retries within the
 * budget (attempts, deadline, backoff, Retry-After), the commit point and the end.
 * Before commit it may try another key or upstream; after commit it never retries.
 */
export class ProxyExchange {
  private committer: Attempt | undefined;
  private current: Attempt | undefined;
  private attemptCount = 0;
  private readonly triedUpstreams = new Set<string>();
  private readonly triedKeys = new Set<string>();
  private deadline: NodeJS.Timeout | undefined;
  private waiting: NodeJS.Timeout | undefined;
  private sameUpstreamFirst: Upstream | undefined;
  private lastFailure: { attempt: Attempt; failure: Failure } | undefined;
  private finished = false;
  private expired = false;

  constructor(
    private readonly deps: ProxyDeps,
    private readonly retry: RetryPolicy,
    readonly ctx: RequestContext,
    private readonly rawHeaders: readonly string[],
    readonly res: ServerResponse,
    private readonly route: Route,
    private readonly onDone: (exchange: ProxyExchange) => void,
  ) {
    const gate = deps.keyGate;
    this.claim = gate ? (upstream, key) => gate.claim(ctx, upstream, key) : undefined;
  }

  /** Per-key limits: a key is used only when the gate lets this request claim it. */
  private readonly claim: ((upstream: Upstream, key: UpstreamKey) => boolean) | undefined;

  start(): void {
    this.res.on('close', this.onClientClose);
    if (this.tryNext()) return;
    const why = this.deps.health.explainUnavailable(this.route.members, this.deps.now());
    this.deps.warnUnavailable(this.route, why.detail);
    sendError(this.res, this.ctx, this.deps.keyGate?.refusal(this.ctx) ?? unavailableError(why));
    this.complete();
  }

  now(): number {
    return this.deps.now();
  }

  committedBy(attempt: Attempt): boolean {
    return this.committer === attempt;
  }

  /** Records a finished attempt that needs no retry decision (success or after commit). */
  settle(attempt: Attempt, record: AttemptRecord): void {
    this.record(attempt, record);
  }

  /** Records a failed attempt before commit, then retries or ends with the failure. */
  settleFailure(attempt: Attempt, record: AttemptRecord, failure: Failure): void {
    this.record(attempt, record);
    const scope = this.ctx.cancelled ? null : retryScope(record.verdict);
    // A key-level verdict from an upstream without keys can only be escaped by another upstream.
    if (scope === 'upstream' || (scope === 'key' && !attempt.key))
      this.triedUpstreams.add(attempt.upstream.name);
    if (attempt.key && record.verdict !== 'rate_limited') this.triedKeys.add(attempt.key.id);
    this.sameUpstreamFirst = scope === 'key' ? attempt.upstream : undefined;
    if (scope !== null && !isFinalTimeout(failure) && this.tryNext()) {
      this.lastFailure = { attempt, failure };
      return;
    }
    this.sendFailure(attempt, failure);
  }

  /** The commit point: the response head goes to the client; no retry is possible after it. */
  commit(attempt: Attempt, status: number, headers: IncomingHttpHeaders, contentLength: number | null): void {
    const { ctx } = this;
    this.committer = attempt;
    ctx.status = status;
    ctx.upstream = attempt.upstream;
    ctx.key = attempt.key;
    ctx.ttfbMs = attempt.headersAt - ctx.startedAt;
    const own: Record<string, string> = {
      ...ctx.replyHeaders,
      'x-switchyard-attempts': String(this.attemptCount),
      'server-timing': serverTiming(ctx, attempt),
    };
    const observer = ctx.responseObserver;
    observer?.onHead?.(status, headers);
    const rewritesBody = contentLength === null && observer?.rewritesBody?.() === true;
    const shown = maskHeaders(headers, this.deps.redact);
    this.res.writeHead(status, clientResponseHeaders(shown, own, contentLength, rewritesBody));
  }

  /** Sends a complete held answer (plain JSON success). */
  sendHeld(attempt: Attempt, status: number, headers: IncomingHttpHeaders, held: Buffer): void {
    const encoding = headerValue(headers, 'content-encoding');
    const body = scrubHeldBody(held, encoding, this.deps.redactRegistered);
    this.commit(attempt, status, headers, body.length);
    const observer = this.ctx.responseObserver;
    if (observer) {
      observer.onBody?.(body);
      observer.onEnd?.(false);
    }
    this.res.end(body);
    this.complete();
  }

  complete(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.deadline) clearTimeout(this.deadline);
    if (this.waiting) clearTimeout(this.waiting);
    this.res.off('close', this.onClientClose);
    const last = this.ctx.attempts[this.ctx.attempts.length - 1];
    this.ctx.verdict = this.ctx.cancelled ? 'client_cancelled' : last?.verdict;
    this.onDone(this);
  }

  private record(attempt: Attempt, record: AttemptRecord): void {
    if (this.current === attempt) this.current = undefined;
    attempt.upstream.inFlight--;
    this.ctx.attempts.push(record);
    this.ctx.upstreamMs += record.durationMs;
    attempt.recordedMs = record.durationMs;
    this.deps.health.record(attempt.upstream, attempt.key, record, this.deps.now());
    if (record.verdict !== 'not_sent') this.route.strategy.observe?.(attempt.upstream, record);
  }

  /** Sends or schedules the next attempt; false when the budget is spent or nothing is usable. */
  private tryNext(): boolean {
    if (!this.budgetLeft()) return false;
    const now = this.deps.now();
    const target = selectTarget(
      this.route,
      this.deps.health,
      { upstreams: this.triedUpstreams, keys: this.triedKeys, sameUpstreamFirst: this.sameUpstreamFirst },
      { random: this.deps.random, now, hashKey: this.ctx.hashKey },
      this.claim,
    );
    if (target) {
      const delay = this.attemptCount === 0 ? 0 : this.backoff();
      if (delay > 0 && this.fits(delay)) this.wait(delay, () => this.dispatch(target));
      else this.dispatch(target);
      return true;
    }
    if (this.attemptCount === 0) return false;
    const wait = this.deps.health.explainUnavailable(this.route.members, now).retryAfterMs;
    if (wait === undefined || wait > this.retry.max_retry_after || !this.fits(wait)) return false;
    this.wait(wait + 1, () => {
      if (!this.tryNext()) this.giveUp();
    });
    return true;
  }

  private dispatch(target: Target): void {
    this.attemptCount++;
    const attempt = new Attempt(this, target.upstream, target.key);
    this.current = attempt;
    target.upstream.inFlight++;
    this.deps.health.onDispatch(target.upstream, this.deps.now());
    if (this.attemptCount === 1 && !this.ctx.stream) this.armDeadline(target.upstream.timeouts.total);
    try {
      this.deps.transport.dispatch(target.upstream, attempt.dispatchOptions(this.rawHeaders), attempt);
    } catch (err) {
      // A request the transport refused to build synchronously: nothing reached the upstream.
      attempt.onResponseError(undefined, asNotSent(err));
    }
  }

  private budgetLeft(): boolean {
    const { ctx } = this;
    return (
      this.attemptCount < this.retry.max_attempts &&
      !ctx.cancelled &&
      !this.expired &&
      (this.attemptCount === 0 || performance.now() - ctx.startedAt < this.retry.deadline)
    );
  }

  private fits(delayMs: number): boolean {
    return performance.now() - this.ctx.startedAt + delayMs < this.retry.deadline;
  }

  /** Full jitter over an exponential step: random(0, min(max, base × 2^(n-1))). */
  private backoff(): number {
    const step = Math.min(this.retry.max_backoff, this.retry.backoff * 2 ** (this.attemptCount - 1));
    return Math.floor(this.deps.random() * step);
  }

  private wait(ms: number, then: () => void): void {
    this.waiting = setTimeout(() => {
      this.waiting = undefined;
      then();
    }, ms);
  }

  private giveUp(): void {
    const last = this.lastFailure;
    if (last) this.sendFailure(last.attempt, last.failure);
    else {
      this.ctx.replyHeaders['x-switchyard-attempts'] = String(this.attemptCount);
      sendError(this.res, this.ctx, new GatewayError('no_healthy_upstream'));
      this.complete();
    }
  }

  private sendFailure(attempt: Attempt, failure: Failure): void {
    if (this.ctx.cancelled) {
      this.complete();
      return;
    }
    const refusal = failure.kind === 'response' ? gatewayAnswerFor(failure) : undefined;
    if (refusal) {
      this.ctx.upstream = attempt.upstream;
      this.ctx.key = attempt.key;
      this.ctx.replyHeaders['x-switchyard-attempts'] = String(this.attemptCount);
      sendError(this.res, this.ctx, refusal);
    } else if (failure.kind === 'response') {
      const body = scrubHeldBody(
        failure.body,
        headerValue(failure.headers, 'content-encoding'),
        this.deps.redact,
      );
      this.commit(attempt, failure.status, failure.headers, body.length);
      this.res.end(body);
    } else {
      this.ctx.replyHeaders['x-switchyard-attempts'] = String(this.attemptCount);
      sendError(this.res, this.ctx, toGatewayError(failure.error, failure.cutShort));
    }
    this.complete();
  }

  private armDeadline(ms: number): void {
    this.deadline = setTimeout(() => {
      this.expired = true;
      this.current?.abort(new TotalTimeoutError(`no complete answer within ${ms} ms`));
    }, ms);
    this.deadline.unref();
  }

  private readonly onClientClose = (): void => {
    if (this.res.writableFinished) return;
    this.ctx.cancelled = true;
    if (this.current) this.current.abort(new ClientCancelledError('the client closed the connection'));
    else this.complete();
  };
}

function isFinalTimeout(failure: Failure): boolean {
  return failure.kind === 'error' && failure.error instanceof TotalTimeoutError;
}

function toGatewayError(err: Error & { code?: string }, bodyCutShort: boolean): GatewayError {
  const options = { cause: err, detail: describeFailure(err) };
  if (isNotSent(err)) return new GatewayError('request_not_forwardable', options);
  if (err instanceof DispatchThrewError) return new GatewayError('internal_error', options);
  if (isTimeout(err)) return new GatewayError('upstream_timeout', options);
  return new GatewayError(bodyCutShort ? 'upstream_bad_response' : 'upstream_unreachable', options);
}

/**
 * `Server-Timing`: what the upstreams took (this attempt up to now: its head for a stream, its
 * whole body for a held answer, plus earlier attempts) and what the gateway added around them.
 */
function serverTiming(ctx: RequestContext, attempt: Attempt): string {
  const now = performance.now();
  const upstream = now - attempt.startedAt + ctx.upstreamMs - attempt.recordedMs;
  const gateway = Math.max(0, now - ctx.startedAt - upstream);
  return `gateway;dur=${gateway.toFixed(2)}, upstream;dur=${upstream.toFixed(2)}`;
}
