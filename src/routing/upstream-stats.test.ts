import { describe, expect, it } from 'vitest';
import { attempt } from '../../test/helpers/routing';
import { penalisedCost, UpstreamStats } from './upstream-stats';

describe('UpstreamStats', () => {
  it('keeps a moving average of time to first byte and a moving error rate', () => {
    const stats = new UpstreamStats(() => 1_700_000_000_000);
    stats.observe('a', attempt('a', 'success', 100));
    expect(stats.get('a')!.ttfbEwma).toBe(100);
    stats.observe('a', attempt('a', 'success', 200));
    expect(stats.get('a')!.ttfbEwma).toBe(125);
    stats.observe('a', attempt('a', 'upstream_fault'));
    expect(stats.get('a')!.errorRate).toBeCloseTo(0.1);
    expect(stats.get('a')!.ttfbEwma).toBe(125);
    stats.observe('a', attempt('a', 'success', 125));
    expect(stats.get('a')!.errorRate).toBeCloseTo(0.09);
  });

  it('ignores key-level and client-side verdicts, which say nothing of the upstream’s speed', () => {
    const stats = new UpstreamStats();
    for (const verdict of ['rate_limited', 'quota_exhausted', 'invalid_key', 'client_cancelled'] as const) {
      stats.observe('a', attempt('a', verdict, 3));
    }
    expect(stats.get('a')).toBeUndefined();
    expect(stats.cost('a')).toBe(0);
  });

  it('ranks by cost, best first, never-measured last, with percentiles of recent samples', () => {
    const stats = new UpstreamStats(() => Date.UTC(2025, 0, 1));
    for (let i = 1; i <= 100; i++) stats.observe('slow', attempt('slow', 'success', 100 + i));
    for (let i = 1; i <= 10; i++) stats.observeProbe('fast', true, i);
    stats.observeProbe('fast', false, undefined, 'ECONNREFUSED');
    const ranking = stats.ranking(['never', 'slow', 'fast']);
    expect(ranking.map((r) => r.name)).toEqual(['fast', 'slow', 'never']);
    expect(ranking[0]).toMatchObject({
      probes: 11,
      probe_failures: 1,
      failures: 1,
      last_error: 'ECONNREFUSED',
    });
    expect(ranking[1]!.latency).toEqual({
      count: 100,
      min: 101,
      avg: 150.5,
      p50: 150,
      p95: 195,
      p99: 199,
      max: 200,
    });
    expect(ranking[2]).toMatchObject({ cost_ms: null, latency: null, last_sample_at: null });
  });

  it('keeps only the last 128 samples for percentiles', () => {
    const stats = new UpstreamStats();
    for (let i = 0; i < 300; i++) stats.observe('a', attempt('a', 'success', i));
    const recent = stats.get('a')!.recent();
    expect(recent).toHaveLength(128);
    expect(recent[0]).toBe(172);
    expect(recent[127]).toBe(299);
  });

  it('forgets upstreams that are no longer configured', () => {
    const stats = new UpstreamStats();
    stats.observe('a', attempt('a', 'success', 1));
    stats.observe('b', attempt('b', 'success', 1));
    stats.retain(['b']);
    expect(stats.get('a')).toBeUndefined();
    expect(stats.get('b')).toBeDefined();
  });

  it('makes a failing fast upstream cost more than a steady slower one', () => {
    expect(penalisedCost(1, 0.5)).toBeGreaterThan(penalisedCost(60, 0));
    expect(penalisedCost(20, 0.1)).toBeLessThan(penalisedCost(500, 0));
  });
});
