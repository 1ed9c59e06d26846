import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { KeyGate } from '../access/limits/key-gate';
import type { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';
import type { AttemptRecord, HealthTracker } from '../health/tracker';
import type { Route } from '../routing/route';
import { selectTarget } from '../routing/select';
import { Attempt } from './attempt';
import { ClientCancelledError, isTimeout, TotalTimeoutError } from './failures';
import { clientResponseHeaders } from './headers';
import { sendError } from './respond';
import { retryScope } from './retry-policy';
import type { Transport } from './transport';

export interface ProxyDeps {
  readonly transport: Transport;
  readonly health: HealthTracker;
  readonly random: () => number;
  /** Wall-clock milliseconds; a fake clock in tests. */
  readonly now: () => number;
  readonly maxAttempts: number;
  /** Per-upstream-key limits: selection skips keys the gate does not let through. */
  readonly keyGate?: KeyGate;
}

/**
 * One client request's trip through the upstreams: selection, attempts, the commit point and
 * the end. Before commit it may try another key or upstream; after commit it never retries.
 */
export class ProxyExchange {
  private committer: Attempt | undefined;
  private current: Attempt | undefined;
  private attemptCount = 0;
  private readonly triedUpstreams = new Set<string>();
  private readonly triedKeys = new Set<string>();
  private deadline: NodeJS.Timeout | undefined;
  private finished = false;
  private expired = false;

  constructor(
    private readonly deps: ProxyDeps,
    readonly ctx: RequestContext,
    private readonly rawHeaders: readonly string[],
    readonly res: ServerResponse,
    private readonly route: Route,
    private readonly onDone: (exchange: ProxyExchange) => void,
  ) {}

  start(): void {
    this.res.on('close', this.onClientClose);
    if (!this.dispatchNext()) {
      this.fail(this.deps.keyGate?.refusal(this.ctx) ?? new GatewayError('no_healthy_upstream'), false);
      this.complete();
    }
  }

  get committed(): boolean {
    return this.committer !== undefined;
  }

  committedBy(attempt: Attempt): boolean {
    return this.committer === attempt;
  }

  /** Selects the next target and sends to it; false when none is left or the budget is spent. */
  private dispatchNext(): boolean {
    if (this.attemptCount >= this.deps.maxAttempts || this.ctx.cancelled || this.expired) return false;
    const gate = this.deps.keyGate;
    const target = selectTarget(
      this.route,
      this.deps.health,
      { upstreams: this.triedUpstreams, keys: this.triedKeys },
      { random: this.deps.random, now: this.deps.now() },
      gate && ((upstream, key) => gate.claim(this.ctx, upstream, key)),
    );
    if (!target) return false;
    this.attemptCount++;
    const attempt = new Attempt(this, target.upstream, target.key);
    this.current = attempt;
    target.upstream.inFlight++;
    if (this.attemptCount === 1 && !this.ctx.stream) this.armDeadline(target.upstream.timeouts.total);
    this.deps.transport.dispatch(target.upstream, attempt.dispatchOptions(this.rawHeaders), attempt);
    return true;
  }

  /** Records a finished attempt; true when another attempt was sent in its place. */
  settle(attempt: Attempt, record: AttemptRecord): boolean {
    attempt.upstream.inFlight--;
    this.ctx.attempts.push(record);
    this.ctx.upstreamMs += record.durationMs;
    this.deps.health.record(attempt.upstream, attempt.key, record, this.deps.now());
    this.route.strategy.observe?.(attempt.upstream, record);
    const scope = this.committed ? null : retryScope(record.verdict);
    if (scope === null) return false;
    if (scope === 'upstream') this.triedUpstreams.add(attempt.upstream.name);
    if (attempt.key) this.triedKeys.add(attempt.key.id);
    return this.dispatchNext();
  }

  /** The commit point: the response head goes to the client and no retry is possible after it. */
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
    ctx.responseObserver?.onHead?.(status, headers);
    this.res.writeHead(status, clientResponseHeaders(headers, own, contentLength));
  }

  /** Ends the request with the gateway's own error for a transport failure before commit. */
  fail(err: Error | GatewayError, bodyCutShort: boolean): void {
    const error = err instanceof GatewayError ? err : toGatewayError(err, bodyCutShort);
    sendError(this.res, this.ctx, error);
  }

  complete(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.deadline) clearTimeout(this.deadline);
    this.res.off('close', this.onClientClose);
    const last = this.ctx.attempts[this.ctx.attempts.length - 1];
    this.ctx.verdict = this.ctx.cancelled ? 'client_cancelled' : last?.verdict;
    this.onDone(this);
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
    this.current?.abort(new ClientCancelledError('the client closed the connection'));
  };
}

function toGatewayError(err: Error & { code?: string }, bodyCutShort: boolean): GatewayError {
  if (isTimeout(err)) return new GatewayError('upstream_timeout', { cause: err });
  return new GatewayError(bodyCutShort ? 'upstream_bad_response' : 'upstream_unreachable', { cause: err });
}

/** `Server-Timing`: what the upstream took to answer and what the gateway added around it. */
function serverTiming(ctx: RequestContext, attempt: Attempt): string {
  const upstream = attempt.headersAt - attempt.startedAt;
  const total = attempt.headersAt - ctx.startedAt;
  const gateway = Math.max(0, total - upstream - ctx.upstreamMs);
  return `gateway;dur=${gateway.toFixed(2)}, upstream;dur=${upstream.toFixed(2)}`;
}
