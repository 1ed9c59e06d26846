import type { HealthCheckConfig } from '../config/schema/index';
import type { Logger } from '../observe/logger';
import type { Upstream } from '../routing/upstream';
import type { UpstreamStats } from '../routing/upstream-stats';
import { holdFor, type JobLock } from '../state/job-lock';
import type { Clock } from './clock';
import { type ProbeOutcome, type ProbeSender, probeWith, statusExpected } from './probe';
import { reconcileSchedules } from './reconcile';
import type { HealthTracker } from './tracker';

export interface MonitorDeps {
  readonly clock: Clock;
  readonly send: ProbeSender;
  readonly health: HealthTracker;
  readonly stats: UpstreamStats;
  readonly logger: Logger;
  /** Runs each scheduled check and ping once per fleet (`state.url`); absent: every run is this instance's. */
  readonly locks?: JobLock;
}

interface CheckState {
  upstream: Upstream;
  readonly config: HealthCheckConfig;
  readonly signature: string;
  healthy: boolean;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  checks: number;
  failures: number;
  last: (ProbeOutcome & { ok: boolean }) | undefined;
  nextAt: number;
  timer: unknown;
  stopped: boolean;
}

export interface HealthCheckReport {
  readonly upstream: string;
  readonly healthy: boolean;
  readonly consecutive_successes: number;
  readonly consecutive_failures: number;
  readonly checks: number;
  readonly failures: number;
  readonly next_at: string;
  readonly last: {
    readonly at: string;
    readonly ok: boolean;
    readonly status: number;
    readonly ttfb_ms: number | null;
    readonly error: string | null;
  } | null;
}

/**
 * Active health checks: each upstream with `health_check` is probed on its interval; after
 * `unhealthy_threshold` failures in a row it is reported down to the health tracker (out of
 * rotation), after `healthy_threshold` successes in a row up again. Every probe's latency or
 * failure also goes to the live statistics.
 */
export class ActiveHealthChecks {
  /** Called after every check with its result (tests wait on it instead of sleeping). */
  readonly listeners: ((upstream: string, ok: boolean) => void)[] = [];
  private readonly states = new Map<string, CheckState>();

  constructor(private readonly deps: MonitorDeps) {}

  /** Starts, restarts (changed config) or stops checks to match the current upstreams. */
  sync(upstreams: Iterable<Upstream>): void {
    reconcileSchedules(this.states, upstreams, {
      configOf: (upstream) => upstream.config.health_check,
      start: (upstream, config, signature) => this.start(upstream, config, signature),
      retire: (state, replaced) =>
        this.retire(state, state.upstream, replaced ? 'health check reconfigured' : 'health check removed'),
    });
  }

  stop(): void {
    for (const state of this.states.values()) {
      state.stopped = true;
      this.deps.clock.clearTimeout(state.timer);
    }
    this.states.clear();
  }

  report(): HealthCheckReport[] {
    return [...this.states.values()].map((state) => reportOf(state));
  }

  /**
   * Runs one upstream's check at once (the next one is scheduled an interval after it) and
   * returns its state afterwards; undefined when the upstream has no health check.
   */
  async runNow(name: string): Promise<HealthCheckReport | undefined> {
    const state = this.states.get(name);
    if (!state || state.stopped) return undefined;
    this.deps.clock.clearTimeout(state.timer);
    await this.run(state);
    return state.stopped ? undefined : reportOf(state);
  }

  /**
   * Runs every check due at `now` and waits for them (runtimes without long-lived timers, such
   * as a Worker's Cron Trigger: src/health/due.ts). Returns how many ran.
   */
  async runDue(now: number): Promise<number> {
    const due = [...this.states.values()].filter((state) => !state.stopped && state.nextAt <= now);
    for (const state of due) this.deps.clock.clearTimeout(state.timer);
    await Promise.all(due.map((state) => this.run(state)));
    return due.length;
  }

  private start(upstream: Upstream, config: HealthCheckConfig, signature: string): void {
    const state: CheckState = {
      upstream,
      config,
      signature,
      healthy: true,
      consecutiveSuccesses: 0,
      consecutiveFailures: 0,
      checks: 0,
      failures: 0,
      last: undefined,
      nextAt: 0,
      timer: undefined,
      stopped: false,
    };
    this.states.set(upstream.name, state);
    this.schedule(state, 0);
  }

  /** Stops a check; an upstream it held down goes back into rotation. */
  private retire(state: CheckState, upstream: Upstream, reason: string): void {
    state.stopped = true;
    this.deps.clock.clearTimeout(state.timer);
    this.states.delete(state.upstream.name);
    if (!state.healthy) this.deps.health.setProbeState(upstream, true, reason, this.deps.clock.now());
  }

  private schedule(state: CheckState, delay: number): void {
    this.deps.clock.clearTimeout(state.timer);
    state.nextAt = this.deps.clock.now() + delay;
    state.timer = this.deps.clock.setTimeout(() => void this.runScheduled(state), delay);
  }

  /** A scheduled check runs where the fleet's lock says; the others only keep their schedule. */
  private async runScheduled(state: CheckState): Promise<void> {
    const { locks } = this.deps;
    const job = `check:${state.upstream.name}`;
    if (locks && !(await locks.claim(job, holdFor(state.config.interval)))) {
      if (!state.stopped) this.schedule(state, state.config.interval);
      return;
    }
    if (!state.stopped) await this.run(state);
  }

  private async run(state: CheckState): Promise<void> {
    const { clock, stats } = this.deps;
    const { upstream, config } = state;
    const outcome = await probeWith(this.deps, upstream, config);
    if (state.stopped) return;
    const ok = outcome.error === undefined && statusExpected(outcome.status, config.expected_status);
    const error = ok
      ? undefined
      : (outcome.error ?? `status ${outcome.status}, expected ${config.expected_status.join(' or ')}`);
    state.last = { ...outcome, ok, error };
    state.checks++;
    stats.observeProbe(upstream.name, ok, outcome.ttfbMs, error);
    if (ok) this.passed(state);
    else this.failed(state, error!);
    for (const listener of this.listeners) listener(upstream.name, ok);
    this.schedule(state, Math.max(0, config.interval - (clock.now() - outcome.at)));
  }

  private passed(state: CheckState): void {
    state.consecutiveSuccesses++;
    state.consecutiveFailures = 0;
    if (state.healthy || state.consecutiveSuccesses < state.config.healthy_threshold) return;
    state.healthy = true;
    const reason = `health check passed ${state.consecutiveSuccesses} times in a row`;
    this.deps.health.setProbeState(state.upstream, true, reason, this.deps.clock.now());
    this.deps.logger.info({ upstream: state.upstream.name, reason }, 'upstream back in rotation');
  }

  private failed(state: CheckState, error: string): void {
    state.failures++;
    state.consecutiveFailures++;
    state.consecutiveSuccesses = 0;
    if (!state.healthy || state.consecutiveFailures < state.config.unhealthy_threshold) return;
    state.healthy = false;
    const reason = `health check failed ${state.consecutiveFailures} times in a row (last: ${error})`;
    this.deps.health.setProbeState(state.upstream, false, reason, this.deps.clock.now());
    this.deps.logger.warn({ upstream: state.upstream.name, reason }, 'upstream out of rotation');
  }
}

function reportOf(state: CheckState): HealthCheckReport {
  const { last } = state;
  return {
    upstream: state.upstream.name,
    healthy: state.healthy,
    consecutive_successes: state.consecutiveSuccesses,
    consecutive_failures: state.consecutiveFailures,
    checks: state.checks,
    failures: state.failures,
    next_at: new Date(state.nextAt).toISOString(),
    last: last
      ? {
          at: new Date(last.at).toISOString(),
          ok: last.ok,
          status: last.status,
          ttfb_ms: last.ttfbMs === undefined ? null : Math.round(last.ttfbMs * 100) / 100,
          error: last.error ?? null,
        }
      : null,
  };
}
