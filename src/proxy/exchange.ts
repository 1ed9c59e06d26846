import type { KeyGate } from '../access/limits/key-gate';
import type { RetryPolicy } from '../config/schema/index';
import type { RequestContext, ResponseObserver } from '../core/context';
import { ERROR_TABLE, GatewayError } from '../core/errors';
import { sendError } from '../core/reply';
import { isNotSent } from '../health/classify';
import type { AttemptRecord, HealthTracker } from '../health/tracker';
import type { ClientSink, FlatHeaders, HeaderRecord } from '../http/types';
import { headerValue } from '../http/types';
import { maskHeaders, scrubHeldBody } from '../observe/scrub';
import { clientApiOf } from '../providers/translate/formats';
import { UntranslatableError } from '../providers/translate/prepare';
import type { PreparedAttempt } from '../providers/types';
import type { UpstreamKey } from '../routing/key-pool';
import type { Route } from '../routing/route';
import { selectTarget, type Target } from '../routing/select';
import type { SharedTurn } from '../routing/shared-turn';
import type { Upstream } from '../routing/upstream';
import { Attempt, type AttemptReport, type Failure } from './attempt';
import {
  ClientCancelledError,
  DispatchThrewError,
  describeFailure,
  isTimeout,
  TotalTimeoutError,
} from './failures';
import { asNotSent, gatewayAnswerFor } from './gateway-answer';
import { clientResponseHeaders } from './headers';
import { anthropicErrorEvent, geminiErrorEvent, sseErrorEvent } from './respond';
import { RetryBudget } from './retry-budget';
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

/**
 * One client request's trip through the upstreams: selection, attempts, retries within the
 * budget, the commit point and the end. Before commit it may try another key or upstream; after
 * commit it never retries. It is the only writer to the client's sink: attempts report to it.
 */
export class ProxyExchange implements AttemptReport {
  private current: Attempt | undefined;
  private readonly triedUpstreams = new Set<string>();
  private readonly triedKeys = new Set<string>();
  private sameUpstreamFirst: Upstream | undefined;
  private lastFailure: { attempt: Attempt; failure: Failure } | undefined;
  private finished = false;
  private observer: ResponseObserver | undefined;
  private sse = false;
  private endsOnEventBoundary = true;
  private stopWatchingClose: (() => void) | undefined;
  private readonly budget: RetryBudget;
  /** The request's turn of a fleet-wide rotation, taken before start (src/routing/shared-turn.ts). */
  turn: SharedTurn | undefined = undefined;
  readonly method: string;
  readonly streaming: boolean;

  constructor(
    private readonly deps: ProxyDeps,
    retry: RetryPolicy,
    readonly ctx: RequestContext,
    private readonly headers: FlatHeaders,
    private readonly sink: ClientSink,
    private readonly route: Route,
    private readonly onDone: (exchange: ProxyExchange) => void,
  ) {
    this.budget = new RetryBudget(retry, ctx.startedAt, deps.random);
    this.method = ctx.method;
    this.streaming = ctx.stream;
    const gate = deps.keyGate;
    this.claim = gate ? (upstream, key) => gate.claim(ctx, upstream, key) : undefined;
  }

  /** Per-key limits: a key is used only when the gate lets this request claim it. */
  private readonly claim: ((upstream: Upstream, key: UpstreamKey) => boolean) | undefined;

  start(): void {
    this.stopWatchingClose = this.sink.onClose(this.onClientClose);
    if (this.tryNext()) return;
    const why = this.deps.health.explainUnavailable(this.route.members, this.deps.now());
    this.deps.warnUnavailable(this.route, why.detail);
    sendError(this.sink, this.ctx, this.deps.keyGate?.refusal(this.ctx) ?? unavailableError(why));
    this.complete();
  }

  now(): number {
    return this.deps.now();
  }

  // ── what attempts report ──────────────────────────────────────────────────────────────

  commitStream(attempt: Attempt, status: number, headers: HeaderRecord): void {
    this.sse = (headerValue(headers, 'content-type') ?? '').startsWith('text/event-stream');
    this.commit(attempt, status, headers, null);
    if (this.sse) this.sink.flushHeaders();
  }

  pipe(attempt: Attempt, data: Uint8Array): void {
    const chunk = this.observer?.transformChunk ? this.observer.transformChunk(data) : data;
    if (chunk.length === 0) return;
    if (this.sse) this.endsOnEventBoundary = endsWithBlankLine(chunk);
    if (!this.sink.write(chunk)) {
      attempt.pause();
      this.sink.onDrain(() => attempt.resume());
    }
  }

  streamEnded(attempt: Attempt, record: AttemptRecord): void {
    const held = this.observer?.flush?.();
    if (held && held.length > 0) this.sink.write(held);
    this.sink.end();
    this.reportUsage(attempt);
    this.observer?.onEnd?.(false);
    this.record(attempt, record);
    this.complete();
  }

  streamBroke(attempt: Attempt, record: AttemptRecord, err: Error, ending?: Uint8Array): void {
    this.record(attempt, record);
    this.reportUsage(attempt);
    this.observer?.onEnd?.(true);
    if (!this.sink.closed) {
      if (ending && ending.length > 0) this.sink.end(ending);
      else if (this.sse) {
        const message = ERROR_TABLE.upstream_stream_interrupted.message;
        const api = clientApiOf(this.ctx.path);
        const end =
          api === 'anthropic' ? anthropicErrorEvent : api === 'gemini' ? geminiErrorEvent : sseErrorEvent;
        this.sink.end(end(message, !this.endsOnEventBoundary));
      } else this.sink.abort(err);
    }
    this.complete();
  }

  answered(
    attempt: Attempt,
    record: AttemptRecord,
    status: number,
    headers: HeaderRecord,
    held: Uint8Array,
  ): void {
    this.record(attempt, record);
    const body = scrubHeldBody(held, headerValue(headers, 'content-encoding'), this.deps.redactRegistered);
    this.commit(attempt, status, headers, body.length);
    if (this.observer) {
      this.observer.onBody?.(body);
      this.reportUsage(attempt);
      this.observer.onEnd?.(false);
    }
    this.sink.end(body);
    this.complete();
  }

  failed(attempt: Attempt, record: AttemptRecord, failure: Failure): void {
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

  // ── the exchange's own steps ─────────────────────────────────────────────────────────

  /** The commit point: the response head goes to the client; no retry is possible after it. */
  private commit(
    attempt: Attempt,
    status: number,
    headers: HeaderRecord,
    contentLength: number | null,
  ): void {
    const { ctx } = this;
    ctx.status = status;
    ctx.upstream = attempt.upstream;
    ctx.key = attempt.key;
    ctx.ttfbMs = attempt.headersAt - ctx.startedAt;
    const timing = [
      'x-switchyard-attempts',
      String(this.budget.attempts),
      'server-timing',
      serverTiming(ctx, attempt),
    ];
    const observer = ctx.observeResponse?.(attempt.prepared.addedStreamUsage);
    this.observer = observer;
    ctx.responseObserver = observer;
    observer?.onHead?.(status, headers);
    const rewritesBody = contentLength === null && observer?.rewritesBody?.() === true;
    const shown = maskHeaders(headers, this.deps.redact);
    const flat = clientResponseHeaders(shown, ctx.replyHeaders, contentLength, rewritesBody, timing);
    this.sink.writeHead(status, flat);
  }

  /** A translated answer's usage, normalised by the translator, for accounting. */
  private reportUsage(attempt: Attempt): void {
    const usage = attempt.prepared.translator?.usage;
    if (!usage || !this.observer?.onUsage) return;
    const prompt = usage.inputUncached + usage.cacheRead + usage.cacheWrite;
    this.observer.onUsage({
      promptTokens: prompt,
      completionTokens: usage.output,
      cachedTokens: usage.cacheRead,
    });
  }

  private complete(): void {
    if (this.finished) return;
    this.finished = true;
    this.budget.stop();
    this.stopWatchingClose?.();
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
    const { budget } = this;
    if (!budget.left(this.ctx.cancelled)) return false;
    const now = this.deps.now();
    const target = selectTarget(
      this.route,
      this.deps.health,
      { upstreams: this.triedUpstreams, keys: this.triedKeys, sameUpstreamFirst: this.sameUpstreamFirst },
      {
        random: this.deps.random,
        now,
        hashKey: this.ctx.hashKey,
        turn: budget.attempts === 0 ? this.turn : undefined,
      },
      this.claim,
    );
    if (target) {
      const delay = budget.attempts === 0 ? 0 : budget.backoff();
      if (delay > 0 && budget.fits(delay)) budget.wait(delay, () => this.dispatch(target));
      else this.dispatch(target);
      return true;
    }
    if (budget.attempts === 0) return false;
    const wait = this.deps.health.explainUnavailable(this.route.members, now).retryAfterMs;
    if (wait === undefined || !budget.mayWaitFor(wait)) return false;
    budget.wait(wait + 1, () => {
      if (!this.tryNext()) this.giveUp();
    });
    return true;
  }

  private dispatch(target: Target): void {
    const { upstream, key } = target;
    this.budget.attempts++;
    const prepared = this.prepare(target);
    if (!prepared) return;
    const attempt = new Attempt(this, upstream, key, prepared);
    this.current = attempt;
    upstream.inFlight++;
    this.deps.health.onDispatch(upstream, this.deps.now());
    if (this.budget.attempts === 1 && !this.ctx.stream) {
      this.budget.armDeadline(upstream.timeouts.total, (ms) =>
        this.current?.abort(new TotalTimeoutError(`no complete answer within ${ms} ms`)),
      );
    }
    try {
      this.deps.transport.dispatch(upstream, prepared.request, attempt);
    } catch (err) {
      // A request the transport refused to build synchronously: nothing reached the upstream.
      attempt.onError(asNotSent(err));
    }
  }

  /**
   * The provider's request for this attempt. An upstream whose format cannot carry the request
   * is skipped (nothing was sent): the next one is tried, or the request ends.
   */
  private prepare({ upstream, key }: Target): PreparedAttempt | undefined {
    try {
      return upstream.provider.prepare({
        ctx: this.ctx,
        upstream,
        key,
        headers: this.headers,
        streamUsage: this.ctx.streamUsage,
      });
    } catch (err) {
      if (!(err instanceof UntranslatableError)) throw err;
      this.budget.attempts--;
      this.triedUpstreams.add(upstream.name);
      if (this.tryNext()) return undefined;
      if (this.lastFailure) this.sendFailure(this.lastFailure.attempt, this.lastFailure.failure);
      else {
        sendError(this.sink, this.ctx, new GatewayError(err.code, { message: err.message }));
        this.complete();
      }
      return undefined;
    }
  }

  private giveUp(): void {
    const last = this.lastFailure;
    if (last) this.sendFailure(last.attempt, last.failure);
    else {
      this.ctx.replyHeaders['x-switchyard-attempts'] = String(this.budget.attempts);
      sendError(this.sink, this.ctx, new GatewayError('no_healthy_upstream'));
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
      this.ctx.replyHeaders['x-switchyard-attempts'] = String(this.budget.attempts);
      sendError(this.sink, this.ctx, refusal);
    } else if (failure.kind === 'response') {
      const encoding = headerValue(failure.headers, 'content-encoding');
      const body = scrubHeldBody(failure.body, encoding, this.deps.redact);
      this.commit(attempt, failure.status, failure.headers, body.length);
      this.sink.end(body);
    } else {
      this.ctx.replyHeaders['x-switchyard-attempts'] = String(this.budget.attempts);
      sendError(this.sink, this.ctx, toGatewayError(failure.error, failure.cutShort));
    }
    this.complete();
  }

  private readonly onClientClose = (): void => {
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

function endsWithBlankLine(chunk: Uint8Array): boolean {
  const n = chunk.length;
  return (
    n >= 2 &&
    chunk[n - 1] === 0x0a &&
    (chunk[n - 2] === 0x0a || (chunk[n - 2] === 0x0d && chunk[n - 3] === 0x0a))
  );
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
