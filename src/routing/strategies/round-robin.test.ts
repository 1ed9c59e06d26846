import { describe, expect, it } from 'vitest';
import { testUpstream } from '../../../test/helpers/routing';
import { seededRandom } from '../../../test/helpers/seeded-random';
import { random } from './random';
import { roundRobin } from './round-robin';

describe('round-robin', () => {
  it('takes each candidate in turn', () => {
    const members = ['a', 'b', 'c'].map((name) => testUpstream(name));
    const strategy = roundRobin();
    const picks = Array.from(
      { length: 6 },
      () => strategy.pick(members, { random: Math.random, now: 0 }).name,
    );
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('gives a member with weight w that many turns in a row', () => {
    const members = [testUpstream('a', { weight: 3 }), testUpstream('b')];
    const strategy = roundRobin();
    const picks = Array.from(
      { length: 8 },
      () => strategy.pick(members, { random: Math.random, now: 0 }).name,
    );
    expect(picks.join(' ')).toBe('a a a b a a a b');
  });
});

describe('random', () => {
  it('spreads picks evenly (10,000 seeded picks, each within ±2 % of a third)', () => {
    const members = ['a', 'b', 'c'].map((name) => testUpstream(name));
    const strategy = random();
    const rng = seededRandom(7);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++) counts[strategy.pick(members, { random: rng, now: 0 }).name]!++;
    for (const name of ['a', 'b', 'c']) expect(Math.abs(counts[name]! / 10_000 - 1 / 3)).toBeLessThan(0.02);
  });

  it('honours weight (3:1 within ±2 % over 10,000 seeded picks)', () => {
    const members = [testUpstream('a', { weight: 3 }), testUpstream('b')];
    const strategy = random();
    const rng = seededRandom(8);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (strategy.pick(members, { random: rng, now: 0 }).name === 'a') a++;
    expect(Math.abs(a / 10_000 - 0.75)).toBeLessThan(0.02);
  });
});
