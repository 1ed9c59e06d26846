import { describe, expect, it } from 'vitest';
import { attempt, countPicks, testUpstream } from '../../../test/helpers/routing';
import { seededRandom } from '../../../test/helpers/seeded-random';
import { UpstreamStats } from '../upstream-stats';
import { adaptive } from './adaptive';
import { EXPLORATION, lowestLatency } from './lowest-latency';

function statsWith(
  samples: Record<string, { ttfb?: number; errors?: number; successes?: number }>,
): UpstreamStats {
  const stats = new UpstreamStats(() => 0);
  for (const [name, { ttfb, errors = 0, successes = 20 }] of Object.entries(samples)) {
    for (let i = 0; i < successes; i++)
      if (ttfb !== undefined) stats.observe(name, attempt(name, 'success', ttfb));
    for (let i = 0; i < errors; i++) stats.observe(name, attempt(name, 'upstream_fault'));
  }
  return stats;
}

describe('lowest-latency', () => {
  const members = [testUpstream('fast'), testUpstream('slow')];

  it('sends almost everything to the faster upstream; exploration keeps the other measured', () => {
    const stats = statsWith({ fast: { ttfb: 20 }, slow: { ttfb: 200 } });
    const counts = countPicks(
      lowestLatency(members, { stats, hash: undefined }),
      members,
      10_000,
      seededRandom(5),
    );
    // Exploration sends EXPLORATION (5 %) of picks to a random member: half of them to "slow".
    expect(Math.abs(counts.slow! / 10_000 - EXPLORATION / 2)).toBeLessThan(0.01);
    expect(counts.fast! / 10_000).toBeGreaterThan(0.96);
  });

  it('penalises errors: a fast upstream failing often loses to a slower healthy one', () => {
    const stats = statsWith({ fast: { ttfb: 20, errors: 10 }, slow: { ttfb: 60 } });
    const counts = countPicks(
      lowestLatency(members, { stats, hash: undefined }),
      members,
      2_000,
      seededRandom(6),
    );
    expect(counts.slow! / 2_000).toBeGreaterThan(0.9);
  });

  it('tries an upstream never measured, then follows the measurements', () => {
    const stats = statsWith({ fast: { ttfb: 20 } });
    const strategy = lowestLatency(members, { stats, hash: undefined });
    const rng = seededRandom(8);
    const first = strategy.pick(members, { random: seededRandom(1), now: 0 });
    expect(first.name).toBe('slow');
    for (let i = 0; i < 5; i++) stats.observe('slow', attempt('slow', 'success', 300));
    expect(countPicks(strategy, members, 1_000, rng).fast! / 1_000).toBeGreaterThan(0.95);
  });

  it('moves traffic back to an upstream that recovered (exploration measures it again)', () => {
    const stats = statsWith({ fast: { ttfb: 30 }, slow: { ttfb: 500 } });
    const strategy = lowestLatency(members, { stats, hash: undefined });
    const rng = seededRandom(9);
    for (let i = 0; i < 2_000; i++) {
      const picked = strategy.pick(members, { random: rng, now: i });
      // "slow" has recovered: every request it now gets answers in 10 ms.
      stats.observe(picked.name, attempt(picked.name, 'success', picked.name === 'slow' ? 10 : 30));
    }
    expect(countPicks(strategy, members, 1_000, rng).slow! / 1_000).toBeGreaterThan(0.95);
  });

  it('compares two random candidates among many (power of two choices)', () => {
    const many = ['a', 'b', 'c', 'd'].map((name) => testUpstream(name));
    const stats = statsWith({ a: { ttfb: 10 }, b: { ttfb: 20 }, c: { ttfb: 30 }, d: { ttfb: 40 } });
    const counts = countPicks(
      lowestLatency(many, { stats, hash: undefined }),
      many,
      12_000,
      seededRandom(10),
    );
    // With two of four drawn, the best wins whenever drawn (1/2 of picks), the worst never does.
    expect(Math.abs(counts.a! / 12_000 - 0.5)).toBeLessThan(0.03);
    expect(counts.d! / 12_000).toBeLessThan(0.03);
    expect(counts.a).toBeGreaterThan(counts.b!);
    expect(counts.b).toBeGreaterThan(counts.c!);
  });
});

describe('adaptive', () => {
  const members = [testUpstream('a'), testUpstream('b')];

  it('shares traffic in inverse proportion to latency (20 ms vs 40 ms: 2:1 within ±2 %)', () => {
    const stats = statsWith({ a: { ttfb: 20 }, b: { ttfb: 40 } });
    const counts = countPicks(
      adaptive(members, { stats, hash: undefined }),
      members,
      20_000,
      seededRandom(12),
    );
    expect(Math.abs(counts.a! / 20_000 - 2 / 3)).toBeLessThan(0.02);
  });

  it('lowers the share of an upstream with errors by (1 - error rate)²', () => {
    const stats = statsWith({ a: { ttfb: 20 }, b: { ttfb: 20, errors: 7 } });
    // The error rate is a moving average that gives the newest outcome a weight of 0.1: 20
    // successes leave it at 0, 7 faults then raise it to 1 - 0.9^7. b's weight is (1 - rate)² =
    // 0.9^14 ≈ 0.2288 against a's 1, so b's share is 0.2288 / 1.2288 ≈ 0.1862.
    const expectedB = 0.1862;
    const counts = countPicks(
      adaptive(members, { stats, hash: undefined }),
      members,
      20_000,
      seededRandom(13),
    );
    expect(Math.abs(counts.b! / 20_000 - expectedB)).toBeLessThan(0.02);
  });

  it('multiplies by the configured weight, and keeps a floor for a member that only fails', () => {
    const weighted = [testUpstream('a', { weight: 3 }), testUpstream('b')];
    const stats = statsWith({ a: { ttfb: 20 }, b: { ttfb: 20 } });
    const counts = countPicks(
      adaptive(weighted, { stats, hash: undefined }),
      weighted,
      20_000,
      seededRandom(14),
    );
    expect(Math.abs(counts.a! / 20_000 - 0.75)).toBeLessThan(0.02);
    const failing = statsWith({ a: { ttfb: 20 }, b: { successes: 0, errors: 200 } });
    const floor = countPicks(
      adaptive(members, { stats: failing, hash: undefined }),
      members,
      20_000,
      seededRandom(15),
    );
    expect(floor.b).toBeGreaterThan(0);
    expect(floor.b! / 20_000).toBeLessThan(0.03);
  });
});
