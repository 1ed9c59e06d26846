import type { StatsFields, StatsStore } from '../../state/stats-store';
import { OUTCOMES, type Sample, type SeriesLabel } from './cell';
import { histogramBucket, histogramPercentiles } from './fleet-histogram';
import { OTHER_SERIES } from './ring';

/** Series names kept spelt out between flushes before the memo starts again. */
const NAMES_KEPT = 20_000;

/** The windows of the fleet's figures: the same slots as an instance's (collector.ts WINDOWS). */
export interface FleetWindow {
  readonly slotMs: number;
  readonly slots: number;
}

/**
 * This instance's statistics not yet added to the fleet's: per time bucket (`window:slotStart`)
 * and field (`SERIES COUNTER`, SERIES being `[dimension, name, label]` as JSON), the amounts
 * since the last flush. Each bucket keeps at most `maxSeries` series per dimension from this
 * instance, as an instance's own slots do; later ones count as `(other)`.
 */
export class FleetStatsBuffer {
  private pending = new Map<string, Map<string, number>>();
  private readonly seen = new Map<string, Set<string>>();
  /** Series names as fields spell them, made once per series while it is live. */
  private names = new Map<string, string>();

  constructor(
    private readonly windows: Readonly<Record<string, FleetWindow>>,
    private readonly maxSeries: number,
  ) {}

  add(now: number, dimension: number, name: string, sample: Sample, label?: SeriesLabel, uncapped = false) {
    for (const window in this.windows) {
      const { slotMs } = this.windows[window]!;
      const bucket = `${window}:${Math.floor(now / slotMs) * slotMs}`;
      const kept = this.keep(bucket, dimension, name, uncapped);
      this.count(bucket, this.seriesOf(dimension, kept, kept === name ? label : undefined), sample);
    }
  }

  /** What to add now; the buffer starts again empty. */
  take(now: number): Map<string, Map<string, number>> {
    const batch = this.pending;
    this.pending = new Map();
    if (this.names.size > NAMES_KEPT) this.names = new Map();
    for (const key of this.seen.keys()) {
      if (!this.live(key.slice(0, key.lastIndexOf('\t')), now)) this.seen.delete(key);
    }
    return batch;
  }

  /** A batch that could not be added: kept for the next flush, minus buckets already over. */
  putBack(batch: Map<string, Map<string, number>>, now: number): void {
    for (const [bucket, fields] of batch) {
      if (!this.live(bucket, now)) continue;
      const target = this.fieldsOf(bucket);
      for (const [field, amount] of fields) target.set(field, (target.get(field) ?? 0) + amount);
    }
  }

  /** How long a bucket must be kept: its window and one slot more. */
  ttlOf = (bucket: string): number => {
    const { slotMs, slots } = this.windowOf(bucket);
    return slotMs * (slots + 1);
  };

  private live(bucket: string, now: number): boolean {
    const start = Number(bucket.slice(bucket.indexOf(':') + 1));
    return start + this.ttlOf(bucket) > now;
  }

  private windowOf(bucket: string): FleetWindow {
    return this.windows[bucket.slice(0, bucket.indexOf(':'))]!;
  }

  private seriesOf(dimension: number, name: string, label: SeriesLabel | undefined): string {
    const key = `${dimension}\t${name}`;
    let series = this.names.get(key);
    if (series === undefined) {
      series = JSON.stringify([dimension, name, label ?? null]);
      this.names.set(key, series);
    }
    return series;
  }

  private keep(bucket: string, dimension: number, name: string, uncapped: boolean): string {
    const key = `${bucket}\t${dimension}`;
    let names = this.seen.get(key);
    if (!names) {
      names = new Set();
      this.seen.set(key, names);
    }
    if (names.has(name) || uncapped) return name;
    if (names.size >= this.maxSeries) return OTHER_SERIES;
    names.add(name);
    return name;
  }

  private fieldsOf(bucket: string): Map<string, number> {
    let fields = this.pending.get(bucket);
    if (!fields) {
      fields = new Map();
      this.pending.set(bucket, fields);
    }
    return fields;
  }

  private count(bucket: string, series: string, sample: Sample): void {
    const fields = this.fieldsOf(bucket);
    const inc = (counter: string, amount: number) => {
      if (amount === 0) return;
      const field = `${series} ${counter}`;
      fields.set(field, (fields.get(field) ?? 0) + amount);
    };
    inc('r', 1);
    inc(`o:${OUTCOMES[sample.outcome]}`, 1);
    inc('i', sample.inputTokens);
    inc('u', sample.outputTokens);
    inc('h', sample.cacheHit ? 1 : 0);
    inc(`l${histogramBucket(sample.latencyMs)}`, 1);
    if (sample.ttfbMs !== undefined) inc(`t${histogramBucket(sample.ttfbMs)}`, 1);
  }
}

/** Adds what the buffer holds to the fleet's figures; on failure it is kept for the next time. */
export async function flushFleetStats(
  buffer: FleetStatsBuffer,
  store: StatsStore,
  now: number,
): Promise<void> {
  const batch = buffer.take(now);
  if (batch.size === 0) return;
  try {
    await store.add(batch, buffer.ttlOf);
  } catch (err) {
    buffer.putBack(batch, now);
    throw err;
  }
}

/** One series' sums over the fleet, as read back. */
export interface FleetSeries {
  readonly dimension: number;
  readonly name: string;
  readonly label: SeriesLabel | null;
  requests: number;
  readonly outcomes: Record<string, number>;
  input: number;
  output: number;
  cacheHits: number;
  readonly latency: Map<number, number>;
  readonly ttfb: Map<number, number>;
}

/** The fleet's series over the buckets read (the slots of a window). */
export function sumFleetSeries(buckets: readonly StatsFields[]): Map<string, FleetSeries> {
  const out = new Map<string, FleetSeries>();
  for (const fields of buckets) {
    for (const [field, amount] of fields) {
      const space = field.lastIndexOf(' ');
      const key = field.slice(0, space);
      let series = out.get(key);
      if (!series) {
        const [dimension, name, label] = JSON.parse(key) as [number, string, SeriesLabel | null];
        series = {
          dimension,
          name,
          label,
          requests: 0,
          outcomes: {},
          input: 0,
          output: 0,
          cacheHits: 0,
          latency: new Map(),
          ttfb: new Map(),
        };
        out.set(key, series);
      }
      addCounter(series, field.slice(space + 1), amount);
    }
  }
  return out;
}

function addCounter(series: FleetSeries, counter: string, amount: number): void {
  const head = counter[0];
  if (counter === 'r') series.requests += amount;
  else if (counter === 'i') series.input += amount;
  else if (counter === 'u') series.output += amount;
  else if (counter === 'h') series.cacheHits += amount;
  else if (counter.startsWith('o:'))
    series.outcomes[counter.slice(2)] = (series.outcomes[counter.slice(2)] ?? 0) + amount;
  else if (head === 'l' || head === 't') {
    const histogram = head === 'l' ? series.latency : series.ttfb;
    const bucket = Number(counter.slice(1));
    histogram.set(bucket, (histogram.get(bucket) ?? 0) + amount);
  }
}

export { histogramPercentiles };
