/** min/avg/percentiles/max of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly avg: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Summarises samples (nearest-rank percentiles); undefined when there are none. */
export function summarizeLatency(samples: ArrayLike<number>): LatencySummary | undefined {
  const count = samples.length;
  if (count === 0) return undefined;
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count,
    min: round(sorted[0]!),
    avg: round(sum / count),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[count - 1]!),
  };
}

function percentile(sorted: Float64Array, p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
