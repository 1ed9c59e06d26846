import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestContext } from '../core/context';
import { requestTokens } from './request-tokens';

/** What the state gauges read at scrape time (never on the request path). */
export interface MetricsStateView {
  inFlight(): number;
  /** Clients cut off or refused at the edge, by reason (src/core/edge-counters.ts). */
  edgeEvents?(): Iterable<[string, number]>;
  upstreams(): Iterable<UpstreamState>;
  /** Servers the gateway depends on (the PostgreSQL store…): whether each answers. */
  dependencies?(): Iterable<[string, boolean]>;
  /** The event loop's delay since the previous read (the Node adapter's monitor); absent elsewhere. */
  eventLoopDelay?(): LoopDelay;
}

/** Event-loop delay in seconds over one window (between two scrapes). */
export interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface UpstreamState {
  readonly name: string;
  readonly usable: boolean;
  /** Keys by state: usable (in rotation), unusable (health took them out), disabled (by an operator). */
  readonly keys: { readonly usable: number; readonly unusable: number; readonly disabled: number };
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const NONE = 'none';

/**
 * The Prometheus metrics (prom-client), in a registry of their own per gateway. Counters and
 * histograms are fed by a request listener after each response; gauges are read at scrape time.
 * With several workers (`server.workers`) the cluster primary sums every worker's registry; a
 * gauge whose sum means nothing names its `aggregator` (max, min).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'upstream' | 'status' | 'verdict'>;
  private readonly attempts: Counter<'upstream' | 'verdict'>;
  private readonly retries: Counter<'route' | 'upstream' | 'verdict'>;
  private readonly tokens: Counter<'route' | 'upstream' | 'type'>;
  private readonly duration: Histogram<'route' | 'upstream'>;
  private readonly ttfb: Histogram<'route' | 'upstream'>;
  private readonly overhead: Histogram<'route'>;
  readonly reloads: Counter<'result'>;
  readonly lastReload: Gauge;

  constructor(state: MetricsStateView, options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'switchyard_requests_total',
      help: 'API requests answered, by route, upstream that answered, HTTP status and verdict',
      labelNames: ['route', 'upstream', 'status', 'verdict'],
      registers,
    });
    this.attempts = new Counter({
      name: 'switchyard_upstream_attempts_total',
      help: 'Attempts sent to upstreams, by verdict (a retried request has several)',
      labelNames: ['upstream', 'verdict'],
      registers,
    });
    this.retries = new Counter({
      name: 'switchyard_retries_total',
      help: 'Attempts that were retried on another key or upstream, by the failed attempt',
      labelNames: ['route', 'upstream', 'verdict'],
      registers,
    });
    this.tokens = new Counter({
      name: 'switchyard_tokens_total',
      help: 'Tokens reported by upstreams, by direction (input, output)',
      labelNames: ['route', 'upstream', 'type'],
      registers,
    });
    this.duration = new Histogram({
      name: 'switchyard_request_duration_seconds',
      help: 'Whole request time, receipt to the last byte',
      labelNames: ['route', 'upstream'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.ttfb = new Histogram({
      name: 'switchyard_ttfb_seconds',
      help: 'Receipt to the first byte of the answering upstream response',
      labelNames: ['route', 'upstream'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.overhead = new Histogram({
      name: 'switchyard_gateway_overhead_seconds',
      help: 'Time the gateway added before the response head (total minus upstream time)',
      labelNames: ['route'],
      buckets: OVERHEAD_BUCKETS,
      registers,
    });
    this.reloads = new Counter({
      name: 'switchyard_config_reloads_total',
      help: 'Configuration changes applied or refused (file reloads and admin API writes)',
      labelNames: ['result'],
      registers,
    });
    this.lastReload = new Gauge({
      name: 'switchyard_config_last_applied_timestamp_seconds',
      help: 'When the running configuration was applied',
      aggregator: 'max',
      registers,
    });
    this.lastReload.setToCurrentTime();
    this.stateGauges(state);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** A request listener (Gateway.requestListeners). */
  readonly record = (ctx: RequestContext): void => {
    const route = ctx.route?.name ?? NONE;
    const last = ctx.attempts[ctx.attempts.length - 1];
    const upstream = ctx.upstream?.name ?? last?.upstream ?? NONE;
    const status = String(ctx.cancelled ? 499 : ctx.status);
    this.requests.inc({ route, upstream, status, verdict: ctx.verdict ?? 'rejected' });
    this.duration.observe({ route, upstream }, ctx.durationMs() / 1000);
    ctx.attempts.forEach((attempt, i) => {
      this.attempts.inc({ upstream: attempt.upstream, verdict: attempt.verdict });
      if (i < ctx.attempts.length - 1) {
        this.retries.inc({ route, upstream: attempt.upstream, verdict: attempt.verdict });
      }
    });
    if (ctx.ttfbMs !== undefined) {
      this.ttfb.observe({ route, upstream }, ctx.ttfbMs / 1000);
      const overhead = overheadMs(ctx);
      if (overhead !== undefined) this.overhead.observe({ route }, overhead / 1000);
    }
    const tokens = requestTokens(ctx);
    if (tokens) {
      if (tokens.input) this.tokens.inc({ route, upstream, type: 'input' }, tokens.input);
      if (tokens.output) this.tokens.inc({ route, upstream, type: 'output' }, tokens.output);
    }
  };

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private stateGauges(state: MetricsStateView): void {
    const registers = [this.registry];
    new Counter({
      name: 'switchyard_client_errors_total',
      help: 'Clients cut off or refused before a request was handled: timeouts (headers, body), connection caps, malformed requests, admin key guessing',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const [reason, count] of state.edgeEvents?.() ?? []) this.inc({ reason }, count);
      },
    });
    const loopDelay = state.eventLoopDelay;
    if (loopDelay) {
      new Gauge({
        name: 'switchyard_event_loop_delay_seconds',
        help: 'How late the event loop ran a timer since the previous scrape (stat: p50, p99, max); above a millisecond, something held the loop',
        labelNames: ['stat'],
        aggregator: 'max',
        registers,
        collect() {
          const delay = loopDelay();
          this.set({ stat: 'p50' }, delay.p50);
          this.set({ stat: 'p99' }, delay.p99);
          this.set({ stat: 'max' }, delay.max);
        },
      });
    }
    new Gauge({
      name: 'switchyard_in_flight_requests',
      help: 'API requests being handled now',
      registers,
      collect() {
        this.set(state.inFlight());
      },
    });
    new Gauge({
      name: 'switchyard_dependency_up',
      help: '1 while a server the gateway depends on (the PostgreSQL store) answers, 0 while it is unreachable',
      labelNames: ['dependency'],
      aggregator: 'min',
      registers,
      collect() {
        this.reset();
        for (const [dependency, up] of state.dependencies?.() ?? []) this.set({ dependency }, up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'switchyard_upstream_usable',
      help: '1 when the upstream can take requests (enabled, healthy, with a usable key), else 0',
      labelNames: ['upstream'],
      aggregator: 'max',
      registers,
      collect() {
        this.reset();
        for (const upstream of state.upstreams())
          this.set({ upstream: upstream.name }, upstream.usable ? 1 : 0);
      },
    });
    new Gauge({
      name: 'switchyard_upstream_keys',
      help: 'Keys of each upstream by state: usable, unusable (taken out by health), disabled (by an operator)',
      labelNames: ['upstream', 'state'],
      aggregator: 'max',
      registers,
      collect() {
        this.reset();
        for (const { name, keys } of state.upstreams()) {
          this.set({ upstream: name, state: 'usable' }, keys.usable);
          this.set({ upstream: name, state: 'unusable' }, keys.unusable);
          this.set({ upstream: name, state: 'disabled' }, keys.disabled);
        }
      },
    });
  }
}

/**
 * What the gateway added before the response head: receipt to first byte, minus the answering
 * attempt's own wait and the whole time of the attempts before it.
 */
export function overheadMs(ctx: RequestContext): number | undefined {
  const last = ctx.attempts[ctx.attempts.length - 1];
  if (ctx.ttfbMs === undefined || last?.ttfbMs === undefined) return undefined;
  let earlier = 0;
  for (let i = 0; i < ctx.attempts.length - 1; i++) earlier += ctx.attempts[i]!.durationMs;
  return Math.max(0, ctx.ttfbMs - last.ttfbMs - earlier);
}
