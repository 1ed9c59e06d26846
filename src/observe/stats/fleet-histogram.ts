import type { Percentiles } from './digest';

/**
 * Durations as counts per logarithmic bucket, the mapping DDSketch uses: bucket k holds
 * (γ^(k-1), γ^k] with γ = (1 + α) / (1 - α), and reads back as 2γ^k / (γ + 1), within α of every
 * value in it. Counts per bucket add up across instances, so fleet percentiles keep the same
 * relative error (α = 2 %) with nothing but HINCRBY.
 */
const ALPHA = 0.02;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LOG_GAMMA = Math.log(GAMMA);
/** Durations at or under this count in bucket 0 (read back as 0). */
const FLOOR_MS = 0.01;

export function histogramBucket(ms: number): number {
  return ms <= FLOOR_MS ? 0 : Math.max(1, Math.ceil(Math.log(ms / FLOOR_MS) / LOG_GAMMA));
}

function bucketValue(bucket: number): number {
  return bucket === 0 ? 0 : (FLOOR_MS * 2 * GAMMA ** bucket) / (GAMMA + 1);
}

/** p50, p95 and p99 of a histogram (bucket → count); null when it is empty. */
export function histogramPercentiles(histogram: ReadonlyMap<number, number>): Percentiles | null {
  const buckets = [...histogram].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, n] of buckets) total += n;
  if (total === 0) return null;
  const at = (q: number): number => {
    const rank = q * (total - 1);
    let seen = 0;
    for (const [bucket, n] of buckets) {
      seen += n;
      if (seen > rank) return Math.round(bucketValue(bucket) * 100) / 100;
    }
    return Math.round(bucketValue(buckets[buckets.length - 1]![0]) * 100) / 100;
  };
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
