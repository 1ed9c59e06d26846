import { describe, expect, it } from 'vitest';
import { MemoryStatsStore } from '../../state/memory-stats-store';
import { WINDOWS } from './collector';
import { FleetStatsBuffer, flushFleetStats, sumFleetSeries } from './fleet';
import { histogramBucket, histogramPercentiles } from './fleet-histogram';

const sample = (latencyMs: number) => ({
  outcome: 0,
  latencyMs,
  ttfbMs: undefined,
  inputTokens: 2,
  outputTokens: 3,
});

describe('fleet statistics', () => {
  it('reads percentiles back within 2 % from bucket counts', () => {
    const histogram = new Map<number, number>();
    for (let ms = 1; ms <= 1000; ms++) {
      const bucket = histogramBucket(ms);
      histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
    }
    const p = histogramPercentiles(histogram)!;
    expect(Math.abs(p.p50 - 500) / 500).toBeLessThan(0.02);
    expect(Math.abs(p.p95 - 950) / 950).toBeLessThan(0.02);
    expect(Math.abs(p.p99 - 990) / 990).toBeLessThan(0.02);
    expect(histogramPercentiles(new Map())).toBeNull();
  });

  it('counts series past the cap under (other), per bucket and dimension', async () => {
    const buffer = new FleetStatsBuffer({ minute: WINDOWS.minute }, 2);
    for (const name of ['a', 'b', 'c', 'd', 'a']) buffer.add(5_000, 4, name, sample(10));
    buffer.add(5_000, 5, 'gpt-x', sample(10), undefined, true);
    const store = new MemoryStatsStore();
    await flushFleetStats(buffer, store, 5_000);
    const series = sumFleetSeries(await store.read(['minute:0']));
    const requests = [...series.values()].map((s) => [s.dimension, s.name, s.requests, s.input + s.output]);
    expect(requests).toEqual([
      [4, 'a', 2, 10],
      [4, 'b', 1, 5],
      [4, '(other)', 2, 10],
      [5, 'gpt-x', 1, 5],
    ]);
  });

  it('keeps a batch that could not be added for the next flush', async () => {
    const buffer = new FleetStatsBuffer({ minute: WINDOWS.minute }, 10);
    buffer.add(5_000, 0, '*', sample(10));
    const failing = { add: () => Promise.reject(new Error('down')), read: async () => [] };
    await expect(flushFleetStats(buffer, failing, 5_000)).rejects.toThrow('down');
    const store = new MemoryStatsStore();
    await flushFleetStats(buffer, store, 6_000);
    const [sums] = await store.read(['minute:0']);
    expect(sums!.get('[0,"*",null] r')).toBe(1);
  });
});
