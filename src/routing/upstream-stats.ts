import type { AttemptRecord } from '../health/tracker';
import type { Verdict } from '../health/verdict';
import { type LatencySummary, summarizeLatency } from './latency-summary';

/** Weight of the newest time-to-first-byte sample in the moving average. */
const LATENCY_ALPHA = 0.25;
/** Weight of the newest outcome in the moving error rate. */
const ERROR_ALPHA = 0.1;
/** How many recent samples are kept for percentiles. */
const WINDOW = 128;
/** An error rate of 10 % doubles an upstream's latency in its cost; 100 % multiplies it by 11. */
const ERROR_PENALTY = 10;
/** And adds this much per unit of error rate: a failure costs a retry, however fast it failed. */
const FAILURE_PENALTY_MS = 1_000;
/** The latency assumed for an upstream that has failed but never answered. */
const NOMINAL_FAILURE_LATENCY_MS = 1_000;

/** Live figures of one upstream, from real traffic and probes. */
export class UpstreamStat {
  /** Exponentially weighted moving average of time to first byte (ms); NaN before the first sample. */
  ttfbEwma = Number.NaN;
  /** Moving share of recent outcomes that were upstream faults, 0..1. */
  errorRate = 0;
  successes = 0;
  failures = 0;
  probes = 0;
  probeFailures = 0;
  lastSampleAt = 0;
  lastError: string | undefined = undefined;
  private readonly window = new Float64Array(WINDOW);
  private filled = 0;
  private next = 0;

  addLatency(ms: number, now: number): void {
    this.ttfbEwma = Number.isNaN(this.ttfbEwma) ? ms : this.ttfbEwma + LATENCY_ALPHA * (ms - this.ttfbEwma);
    this.errorRate -= ERROR_ALPHA * this.errorRate;
    this.successes++;
    this.window[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
    if (this.filled < WINDOW) this.filled++;
    this.lastSampleAt = now;
  }

  addFailure(now: number, error: string | undefined): void {
    this.errorRate += ERROR_ALPHA * (1 - this.errorRate);
    this.failures++;
    this.lastSampleAt = now;
    this.lastError = error;
  }

  /** The recent time-to-first-byte samples, oldest first. */
  recent(): Float64Array {
    if (this.filled < WINDOW) return this.window.slice(0, this.filled);
    const out = new Float64Array(WINDOW);
    out.set(this.window.subarray(this.next));
    out.set(this.window.subarray(0, this.next), WINDOW - this.next);
    return out;
  }

  /**
   * What choosing this upstream is expected to cost, in milliseconds: the latency average made
   * worse by the error rate. Lower is better; 0 for an upstream never measured (so it gets tried).
   */
  get cost(): number {
    if (this.successes === 0 && this.failures === 0) return 0;
    const latency = Number.isNaN(this.ttfbEwma) ? NOMINAL_FAILURE_LATENCY_MS : this.ttfbEwma;
    return penalisedCost(latency, this.errorRate);
  }
}

/**
 * What choosing an upstream is expected to cost, in milliseconds, from its latency and its error
 * rate (0..1): latency × (1 + 10 × rate) + 1000 ms × rate. A fast upstream that fails half the
 * time (1 ms → 506) ranks below a steady one at 60 ms; one failing 10 % at 20 ms (140) above a
 * steady one at 500 ms.
 */
export function penalisedCost(latencyMs: number, errorRate: number): number {
  return latencyMs * (1 + ERROR_PENALTY * errorRate) + FAILURE_PENALTY_MS * errorRate;
}

export interface UpstreamRanking {
  readonly name: string;
  readonly cost_ms: number | null;
  readonly ttfb_ewma_ms: number | null;
  readonly error_rate: number;
  readonly successes: number;
  readonly failures: number;
  readonly probes: number;
  readonly probe_failures: number;
  /** Over the last samples (real traffic and probes), time to first byte. */
  readonly latency: LatencySummary | null;
  readonly last_sample_at: string | null;
  readonly last_error: string | null;
}

/**
 * Per-upstream latency and error statistics, keyed by upstream name. Owned by the gateway, so the
 * figures survive configuration reloads (which rebuild every Upstream object). Latency-aware
 * strategies read it; every attempt and every active probe feeds it.
 */
export class UpstreamStats {
  private readonly byName = new Map<string, UpstreamStat>();

  constructor(private readonly now: () => number = Date.now) {}

  get(name: string): UpstreamStat | undefined {
    return this.byName.get(name);
  }

  /** Cost for strategies: see UpstreamStat.cost; 0 for an upstream never measured. */
  cost(name: string): number {
    return this.byName.get(name)?.cost ?? 0;
  }

  /** One finished attempt of real traffic. Key-level and client-side verdicts say nothing of speed. */
  observe(name: string, attempt: AttemptRecord): void {
    const kind = outcomeKind(attempt.verdict);
    if (kind === 'ignored') return;
    const stat = this.statFor(name);
    if (kind === 'fault') stat.addFailure(this.now(), attempt.error);
    else if (attempt.ttfbMs !== undefined) stat.addLatency(attempt.ttfbMs, this.now());
  }

  /** One active probe (health check or keep-alive ping). */
  observeProbe(name: string, ok: boolean, latencyMs: number | undefined, error?: string): void {
    const stat = this.statFor(name);
    stat.probes++;
    if (ok && latencyMs !== undefined) stat.addLatency(latencyMs, this.now());
    else {
      stat.probeFailures++;
      stat.addFailure(this.now(), error);
    }
  }

  /** Forgets upstreams that are no longer configured. */
  retain(names: Iterable<string>): void {
    const keep = new Set(names);
    for (const name of this.byName.keys()) if (!keep.has(name)) this.byName.delete(name);
  }

  /** The given upstreams with their live figures, best (lowest cost) first, unmeasured last. */
  ranking(names: Iterable<string>): UpstreamRanking[] {
    const rows = [...names].map((name) => describe(name, this.byName.get(name)));
    return rows.sort(
      (a, b) => (a.cost_ms ?? Number.POSITIVE_INFINITY) - (b.cost_ms ?? Number.POSITIVE_INFINITY),
    );
  }

  private statFor(name: string): UpstreamStat {
    let stat = this.byName.get(name);
    if (!stat) {
      stat = new UpstreamStat();
      this.byName.set(name, stat);
    }
    return stat;
  }
}

function outcomeKind(verdict: Verdict): 'sample' | 'fault' | 'ignored' {
  if (verdict === 'success' || verdict === 'client_error') return 'sample';
  return verdict === 'upstream_fault' ? 'fault' : 'ignored';
}

function describe(name: string, stat: UpstreamStat | undefined): UpstreamRanking {
  const measured = stat !== undefined && stat.successes + stat.failures > 0;
  return {
    name,
    cost_ms: measured ? round(stat.cost) : null,
    ttfb_ewma_ms: stat && !Number.isNaN(stat.ttfbEwma) ? round(stat.ttfbEwma) : null,
    error_rate: stat ? Math.round(stat.errorRate * 1000) / 1000 : 0,
    successes: stat?.successes ?? 0,
    failures: stat?.failures ?? 0,
    probes: stat?.probes ?? 0,
    probe_failures: stat?.probeFailures ?? 0,
    latency: stat ? (summarizeLatency(stat.recent()) ?? null) : null,
    last_sample_at: stat?.lastSampleAt ? new Date(stat.lastSampleAt).toISOString() : null,
    last_error: stat?.lastError ?? null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
