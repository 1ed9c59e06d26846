import { describe, expect, it } from 'vitest';
import { countPicks, testUpstream } from '../../../test/helpers/routing';
import { seededRandom } from '../../../test/helpers/seeded-random';
import { weightedRandom } from './weighted-random';
import { weightedRoundRobin } from './weighted-round-robin';

describe('weighted-round-robin (smooth)', () => {
  it('interleaves picks as nginx does for weights 5:1:1', () => {
    const members = [testUpstream('a', { weight: 5 }), testUpstream('b'), testUpstream('c')];
    const strategy = weightedRoundRobin(members);
    const picks = Array.from(
      { length: 7 },
      () => strategy.pick(members, { random: Math.random, now: 0 }).name,
    );
    expect(picks.join(' ')).toBe('a a b a c a a');
  });

  it('gives exactly the weights over whole cycles (5:3:2 over 1,000 picks)', () => {
    const members = [
      testUpstream('a', { weight: 5 }),
      testUpstream('b', { weight: 3 }),
      testUpstream('c', { weight: 2 }),
    ];
    const counts = countPicks(weightedRoundRobin(members), members, 1_000, Math.random);
    expect(counts).toEqual({ a: 500, b: 300, c: 200 });
  });

  it('shares among the remaining candidates by weight when one is left out', () => {
    const members = [
      testUpstream('a', { weight: 5 }),
      testUpstream('b', { weight: 3 }),
      testUpstream('c', { weight: 2 }),
    ];
    const strategy = weightedRoundRobin(members);
    const withoutA = members.slice(1);
    const counts = countPicks(strategy, withoutA, 500, Math.random);
    expect(counts).toEqual({ b: 300, c: 200 });
  });
});

describe('weighted-random', () => {
  it('follows the weights within ±2 % over 20,000 seeded picks (5:3:2)', () => {
    const members = [
      testUpstream('a', { weight: 5 }),
      testUpstream('b', { weight: 3 }),
      testUpstream('c', { weight: 2 }),
    ];
    const counts = countPicks(weightedRandom(), members, 20_000, seededRandom(42));
    expect(Math.abs(counts.a! / 20_000 - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(counts.b! / 20_000 - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(counts.c! / 20_000 - 0.2)).toBeLessThan(0.02);
  });

  it('never picks outside the candidates', () => {
    const members = [testUpstream('a', { weight: 100 }), testUpstream('b')];
    const counts = countPicks(weightedRandom(), members.slice(1), 100, seededRandom(1));
    expect(counts).toEqual({ b: 100 });
  });
});
