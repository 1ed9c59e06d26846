/** Percentiles and medians over measured samples. */

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. Sorts `sorted` in place first. */
export function percentile(samples: Float64Array | number[], p: number, alreadySorted = false): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = alreadySorted ? samples : samples.sort((a, b) => a - b);
  const rank = Math.ceil((p * sorted.length) / 100 - 1e-9) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export function summarize(samples: Float64Array): Summary {
  const sorted = samples.slice().sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50, true),
    p99: percentile(sorted, 99, true),
    p999: percentile(sorted, 99.9, true),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
