import { Cron } from 'croner';
import type { KeepaliveConfig } from '../config/schema/index';
import type { Upstream } from '../routing/upstream';
import { holdFor } from '../state/job-lock';
import type { MonitorDeps } from './active-checks';
import { type ProbeOutcome, probeWith } from './probe';
import { reconcileSchedules } from './reconcile';

/** Results kept per upstream for the operator. */
const HISTORY = 20;

export interface PingResult {
  readonly at: string;
  /** Any answer below 500 means the deployment is awake. */
  readonly ok: boolean;
  readonly status: number;
  readonly ttfb_ms: number | null;
  readonly error: string | null;
}

interface PingState {
  upstream: Upstream;
  readonly config: KeepaliveConfig;
  readonly signature: string;
  readonly cron: Cron | undefined;
  readonly history: PingResult[];
  sent: number;
  failed: number;
  nextAt: number;
  timer: unknown;
  stopped: boolean;
}

export interface KeepaliveReport {
  readonly upstream: string;
  readonly schedule:
    | { readonly interval_ms: number }
    | { readonly cron: string; readonly timezone: string | null };
  readonly next_at: string | null;
  readonly sent: number;
  readonly failed: number;
  readonly last: PingResult | null;
  /** Newest first. */
  readonly history: readonly PingResult[];
}

export type PingListener = (upstream: string, result: PingResult) => void;

/**
 * Keep-alive pings: for each upstream with `keepalive`, a request on an interval or a cron
 * schedule, so serverless deployments (Render, Zeabur, HF Spaces…) never go to sleep.
 * Independent of health checks; the results are kept for the operator (GET /admin/keepalive).
 */
export class KeepAlivePings {
  /** Called after every ping (tests wait on it instead of sleeping). */
  readonly listeners: PingListener[] = [];
  private readonly states = new Map<string, PingState>();

  constructor(private readonly deps: MonitorDeps) {}

  sync(upstreams: Iterable<Upstream>): void {
    reconcileSchedules(this.states, upstreams, {
      configOf: (upstream) => upstream.config.keepalive,
      start: (upstream, config, signature) => this.start(upstream, config, signature),
      retire: (state) => this.retire(state),
    });
  }

  stop(): void {
    for (const state of this.states.values()) this.retire(state);
  }

  report(): KeepaliveReport[] {
    return [...this.states.values()].map((state) => ({
      upstream: state.upstream.name,
      schedule:
        state.config.cron !== undefined
          ? { cron: state.config.cron, timezone: state.config.timezone ?? null }
          : { interval_ms: state.config.interval! },
      next_at: state.nextAt > 0 ? new Date(state.nextAt).toISOString() : null,
      sent: state.sent,
      failed: state.failed,
      last: state.history[0] ?? null,
      history: [...state.history],
    }));
  }

  /** Sends a ping now, outside the schedule; undefined for an upstream without keep-alive. */
  async pingNow(name: string): Promise<PingResult | undefined> {
    const state = this.states.get(name);
    return state ? this.ping(state) : undefined;
  }

  /**
   * Sends every ping due at `now`, and those not sent yet, and waits for them (runtimes without
   * long-lived timers, such as a Worker's Cron Trigger: src/health/due.ts). Returns how many.
   */
  async runDue(now: number): Promise<number> {
    const due = [...this.states.values()].filter(
      (state) => !state.stopped && (state.sent === 0 || (state.nextAt > 0 && state.nextAt <= now)),
    );
    for (const state of due) this.deps.clock.clearTimeout(state.timer);
    await Promise.all(due.map((state) => this.tick(state)));
    return due.length;
  }

  private start(upstream: Upstream, config: KeepaliveConfig, signature: string): void {
    const cron =
      config.cron !== undefined
        ? new Cron(config.cron, { paused: true, timezone: config.timezone })
        : undefined;
    const state: PingState = {
      upstream,
      config,
      signature,
      cron,
      history: [],
      sent: 0,
      failed: 0,
      nextAt: 0,
      timer: undefined,
      stopped: false,
    };
    this.states.set(upstream.name, state);
    this.scheduleNext(state);
  }

  private retire(state: PingState): void {
    state.stopped = true;
    this.deps.clock.clearTimeout(state.timer);
    state.cron?.stop();
    this.states.delete(state.upstream.name);
  }

  /** The next run: `interval` after now, or the cron expression's next time after now. */
  private scheduleNext(state: PingState): void {
    const now = this.deps.clock.now();
    const next = state.cron ? state.cron.nextRun(new Date(now))?.getTime() : now + state.config.interval!;
    if (next === undefined) {
      state.nextAt = 0;
      return;
    }
    state.nextAt = next;
    state.timer = this.deps.clock.setTimeout(() => void this.tick(state), Math.max(0, next - now));
  }

  private async tick(state: PingState): Promise<void> {
    if (await this.claimed(state)) await this.ping(state);
    if (!state.stopped) this.scheduleNext(state);
  }

  /** Whether this instance sends the ping due now (one per fleet with `state.url`). */
  private async claimed(state: PingState): Promise<boolean> {
    const { locks, clock } = this.deps;
    if (!locks) return true;
    const now = clock.now();
    const next = state.cron ? state.cron.nextRun(new Date(now + 1))?.getTime() : undefined;
    const period = state.config.interval ?? Math.max(1_000, (next ?? now + 60_000) - now);
    return locks.claim(`keepalive:${state.upstream.name}`, holdFor(period));
  }

  private async ping(state: PingState): Promise<PingResult> {
    const { stats } = this.deps;
    const { upstream, config } = state;
    const outcome = await probeWith(this.deps, upstream, config);
    const result = toResult(outcome);
    state.sent++;
    if (!result.ok) state.failed++;
    state.history.unshift(result);
    if (state.history.length > HISTORY) state.history.pop();
    stats.observeProbe(upstream.name, result.ok, outcome.ttfbMs, result.error ?? undefined);
    if (!result.ok) this.deps.logger.warn({ upstream: upstream.name, ...result }, 'keep-alive ping failed');
    for (const listener of this.listeners) listener(upstream.name, result);
    return result;
  }
}

function toResult(outcome: ProbeOutcome): PingResult {
  const ok = outcome.error === undefined && outcome.status < 500;
  return {
    at: new Date(outcome.at).toISOString(),
    ok,
    status: outcome.status,
    ttfb_ms: outcome.ttfbMs === undefined ? null : Math.round(outcome.ttfbMs * 100) / 100,
    error: outcome.error ?? (ok ? null : `status ${outcome.status}`),
  };
}
