import { describe, expect, it } from 'vitest';
import { testUpstream } from '../../../test/helpers/routing';
import { seededRandom } from '../../../test/helpers/seeded-random';
import type { Strategy } from '../strategy';
import type { Upstream } from '../upstream';
import { leastConnections } from './least-connections';
import { roundRobin } from './round-robin';

/**
 * A discrete-time simulation: `perTick` requests arrive each tick, each held by its upstream
 * for that upstream's duration in ticks (in-flight counts rise and fall as in the gateway).
 */
function simulate(
  strategy: Strategy,
  members: Upstream[],
  durations: Record<string, number>,
  ticks: number,
  perTick: number,
): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(members.map((m) => [m.name, 0]));
  const running: { until: number; upstream: Upstream }[] = [];
  const random = seededRandom(3);
  for (let tick = 0; tick < ticks; tick++) {
    for (let i = running.length - 1; i >= 0; i--) {
      if (running[i]!.until <= tick) {
        running[i]!.upstream.inFlight--;
        running.splice(i, 1);
      }
    }
    for (let n = 0; n < perTick; n++) {
      const upstream = strategy.pick(members, { random, now: tick });
      upstream.inFlight++;
      counts[upstream.name]!++;
      running.push({ until: tick + durations[upstream.name]!, upstream });
    }
  }
  return counts;
}

describe('least-connections', () => {
  it('sends most traffic to the fast upstream when the other is slow (skewed latency)', () => {
    const members = [testUpstream('fast'), testUpstream('slow')];
    const counts = simulate(leastConnections(), members, { fast: 2, slow: 20 }, 1_000, 2);
    const fastShare = counts.fast! / 2_000;
    expect(fastShare).toBeGreaterThan(0.85);
    expect(counts.slow).toBeGreaterThan(0);
  });

  it('does better than round robin under the same load', () => {
    const build = () => [testUpstream('fast'), testUpstream('slow')];
    const lc = build();
    const rr = build();
    const lcCounts = simulate(leastConnections(), lc, { fast: 2, slow: 20 }, 1_000, 2);
    const rrCounts = simulate(roundRobin(), rr, { fast: 2, slow: 20 }, 1_000, 2);
    expect(rrCounts.fast).toBe(1_000);
    expect(lcCounts.fast).toBeGreaterThan(rrCounts.fast! * 1.5);
  });

  it('honours weight: in-flight per unit of weight (2:1 within ±5 %)', () => {
    const members = [testUpstream('big', { weight: 2 }), testUpstream('small')];
    const counts = simulate(leastConnections(), members, { big: 10, small: 10 }, 3_000, 3);
    expect(Math.abs(counts.big! / 9_000 - 2 / 3)).toBeLessThan(0.05);
  });

  it('breaks ties at random among equally idle members (±3 % of half over 10,000 picks)', () => {
    const members = [testUpstream('a'), testUpstream('b')];
    const strategy = leastConnections();
    const random = seededRandom(11);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (strategy.pick(members, { random, now: 0 }).name === 'a') a++;
    expect(Math.abs(a / 10_000 - 0.5)).toBeLessThan(0.03);
  });
});
