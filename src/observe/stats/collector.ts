import type { RequestContext } from '../../core/context';
import type { StatsStore } from '../../state/stats-store';
import { requestTokens } from '../request-tokens';
import { addSample, type Cell, OUTCOMES, outcomeIndex, type Sample } from './cell';
import { newSketch, type Percentiles, percentiles } from './digest';
import type { FleetStatsBuffer } from './fleet';
import { OTHER_SERIES, TimeRing } from './ring';

export const DIMENSIONS = ['total', 'upstream', 'key', 'route', 'client', 'model'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
const D = Object.fromEntries(DIMENSIONS.map((name, i) => [name, i])) as Record<Dimension, number>;

/** The windows and their resolution: the last minute in 10 s slots, hour in 5 min, day in 1 h. */
export const WINDOWS = {
  minute: { slotMs: 10_000, slots: 6 },
  hour: { slotMs: 300_000, slots: 12 },
  day: { slotMs: 3_600_000, slots: 24 },
} as const;
export type WindowName = keyof typeof WINDOWS;

/** Series per dimension in one time slot before the rest are counted under `(other)`. */
export const MAX_SERIES_PER_SLOT = 1000;
/** A client-supplied model name longer than this is counted under `(other)`. */
const MAX_MODEL_NAME = 256;

export interface StatsOptions {
  /** Series per dimension per slot (default MAX_SERIES_PER_SLOT). */
  readonly maxSeries?: number;
}

export interface SeriesStats {
  readonly name: string;
  readonly requests: number;
  readonly outcomes: Record<string, number>;
  readonly latency_ms: Percentiles | null;
  readonly ttfb_ms: Percentiles | null;
  readonly tokens: { readonly input: number; readonly output: number; readonly total: number };
  /** Requests answered from the response cache (no upstream call). */
  readonly cache_hits: number;
  readonly [label: string]: unknown;
}

/** The fleet's figures: the shared store, the fleet's size, and a flush of this instance's buffer. */
export interface FleetStatsSource {
  readonly store: StatsStore;
  instances(): number;
  flush(): Promise<void>;
}

export interface StatsQuery {
  readonly window: WindowName;
  readonly dimensions: readonly Dimension[];
  /** Most series per dimension, busiest first. */
  readonly limit: number;
}

/**
 * Request statistics per upstream, key, route, client and model over the last minute, hour and
 * day. Upstreams and keys count attempts (a retried request counts on each key it tried); routes,
 * clients, models and the total count requests. Fed after each response, off the hot path.
 * Memory is bounded: each slot keeps at most `maxSeries` series per dimension (model names the
 * configuration names are always kept; see `setKnownModels`), the rest go to `(other)`.
 */
export class StatsCollector {
  private readonly rings: Record<WindowName, TimeRing>;
  private readonly ringList: readonly TimeRing[];
  private knownModels: ReadonlySet<string> = new Set();
  /** This instance's figures on their way to the fleet's (`state.url`); set by the adapter. */
  fleet: FleetStatsBuffer | undefined = undefined;
  /** Where the fleet's figures are read (`?scope=fleet`); undefined without `state.url` or workers. */
  fleetSource: FleetStatsSource | undefined = undefined;

  constructor(
    readonly now: () => number,
    options: StatsOptions = {},
  ) {
    const maxSeries = options.maxSeries ?? MAX_SERIES_PER_SLOT;
    const ring = (window: WindowName) =>
      new TimeRing(WINDOWS[window].slotMs, WINDOWS[window].slots, DIMENSIONS.length, maxSeries);
    this.rings = { minute: ring('minute'), hour: ring('hour'), day: ring('day') };
    this.ringList = Object.values(this.rings);
  }

  /** The model names the configuration names (kept outside the cap); set at start and on reload. */
  setKnownModels(models: ReadonlySet<string>): void {
    this.knownModels = models;
  }

  /** A request listener (Gateway.requestListeners). */
  readonly record = (ctx: RequestContext): void => {
    const now = this.now();
    const tokens = requestTokens(ctx);
    const request: Sample = {
      outcome: outcomeIndex(ctx.verdict),
      latencyMs: ctx.durationMs(),
      ttfbMs: ctx.ttfbMs,
      inputTokens: tokens?.input ?? 0,
      outputTokens: tokens?.output ?? 0,
      cacheHit: ctx.cache?.result === 'hit',
    };
    this.add(now, D.total, '*', request);
    if (ctx.route) this.add(now, D.route, ctx.route.name, request);
    if (ctx.client) this.add(now, D.client, ctx.client.name, request);
    if (ctx.model !== undefined) this.addModel(now, ctx.model, request);
    const last = ctx.attempts.length - 1;
    ctx.attempts.forEach((attempt, i) => {
      const committed = i === last && ctx.upstream !== undefined;
      const sample: Sample = {
        outcome: outcomeIndex(attempt.verdict),
        latencyMs: attempt.durationMs,
        ttfbMs: attempt.ttfbMs,
        inputTokens: committed ? request.inputTokens : 0,
        outputTokens: committed ? request.outputTokens : 0,
      };
      this.add(now, D.upstream, attempt.upstream, sample);
      if (attempt.keyId && attempt.key) {
        const label = { upstream: attempt.upstream, id: attempt.keyId, key: attempt.key };
        this.add(now, D.key, `${attempt.upstream}/${attempt.keyId}`, sample, label);
      }
    });
  };

  snapshot(query: StatsQuery): Record<string, unknown> {
    const now = this.now();
    const ring = this.rings[query.window];
    const report: Record<string, unknown> = {
      window: query.window,
      from: new Date(ring.oldestStart(now)).toISOString(),
      to: new Date(now).toISOString(),
      resolution_seconds: ring.slotMs / 1000,
    };
    for (const dimension of query.dimensions) {
      const series = this.series(ring, now, D[dimension]);
      if (dimension === 'total') report.total = series[0] ?? emptySeries('*');
      else report[`${dimension}s`] = series.slice(0, query.limit);
    }
    return report;
  }

  /**
   * The window slot by slot, oldest first: per slot, each asked dimension's series (busiest
   * `limit` of them) figured over that slot alone. What the console draws its charts from.
   */
  timeline(query: StatsQuery): Record<string, unknown> {
    const now = this.now();
    const ring = this.rings[query.window];
    const slots = new Map<number, Record<string, unknown>>();
    for (const dimension of query.dimensions) {
      for (const [start, cells] of ring.slotsIn(now, D[dimension])) {
        const slot = slots.get(start) ?? { start: new Date(start).toISOString() };
        slots.set(start, slot);
        const series = [...cells].map(([name, cell]) => summarize(name, [cell]));
        series.sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
        if (dimension === 'total') slot.total = series[0] ?? emptySeries('*');
        else slot[`${dimension}s`] = series.slice(0, query.limit);
      }
    }
    return {
      window: query.window,
      resolution_seconds: ring.slotMs / 1000,
      slots: [...slots.values()],
    };
  }

  private add(now: number, dimension: number, name: string, sample: Sample, label?: Record<string, string>) {
    for (const ring of this.ringList) addSample(ring.cell(now, dimension, name, label), sample);
    this.fleet?.add(now, dimension, name, sample, label);
  }

  private addModel(now: number, model: string, sample: Sample) {
    const known = this.knownModels.has(model);
    const name = known || model.length <= MAX_MODEL_NAME ? model : OTHER_SERIES;
    for (const ring of this.ringList) addSample(ring.cell(now, D.model, name, undefined, known), sample);
    this.fleet?.add(now, D.model, name, sample, undefined, known);
  }

  private series(ring: TimeRing, now: number, dimension: number): SeriesStats[] {
    const grouped = new Map<string, Cell[]>();
    for (const [name, cell] of ring.cellsIn(now, dimension)) {
      const cells = grouped.get(name);
      if (cells) cells.push(cell);
      else grouped.set(name, [cell]);
    }
    const out = [...grouped].map(([name, cells]) => summarize(name, cells));
    return out.sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
  }
}

function summarize(name: string, cells: readonly Cell[]): SeriesStats {
  const latency = newSketch();
  const ttfb = newSketch();
  const outcomes = new Array<number>(OUTCOMES.length).fill(0);
  let requests = 0;
  let input = 0;
  let output = 0;
  let cacheHits = 0;
  for (const cell of cells) {
    requests += cell.requests;
    cacheHits += cell.cacheHits;
    input += cell.inputTokens;
    output += cell.outputTokens;
    cell.outcomes.forEach((n, i) => {
      outcomes[i]! += n;
    });
    cell.latency.mergeInto(latency);
    cell.ttfb.mergeInto(ttfb);
  }
  return {
    name,
    ...cells[0]?.label,
    requests,
    outcomes: Object.fromEntries(OUTCOMES.map((o, i) => [o, outcomes[i]!]).filter(([, n]) => n !== 0)),
    latency_ms: percentiles(latency),
    ttfb_ms: percentiles(ttfb),
    tokens: { input, output, total: input + output },
    cache_hits: cacheHits,
  };
}

function emptySeries(name: string): SeriesStats {
  return {
    name,
    requests: 0,
    outcomes: {},
    latency_ms: null,
    ttfb_ms: null,
    tokens: { input: 0, output: 0, total: 0 },
    cache_hits: 0,
  };
}
