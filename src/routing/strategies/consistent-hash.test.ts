import { describe, expect, it } from 'vitest';
import { countPicks, testUpstream } from '../../../test/helpers/routing';
import { seededRandom } from '../../../test/helpers/seeded-random';
import type { StrategyDeps } from '../strategy';
import type { Upstream } from '../upstream';
import { UpstreamStats } from '../upstream-stats';
import { consistentHash } from './consistent-hash';

const deps: StrategyDeps = {
  stats: new UpstreamStats(),
  hash: { key: 'header', header: 'x-session-id', load_factor: 1.25 },
};
const KEYS = 10_000;
const key = (i: number) => `session-${i}`;

function owners(members: Upstream[], candidates = members): string[] {
  const strategy = consistentHash(members, deps);
  return Array.from(
    { length: KEYS },
    (_, i) => strategy.pick(candidates, { random: Math.random, now: 0, hashKey: key(i) }).name,
  );
}

describe('consistent-hash', () => {
  const abc = () => ['a', 'b', 'c'].map((name) => testUpstream(name));

  it('sends the same key to the same member every time', () => {
    const members = abc();
    const strategy = consistentHash(members, deps);
    const first = strategy.pick(members, { random: Math.random, now: 0, hashKey: 'user-42' });
    for (let i = 0; i < 100; i++) {
      expect(strategy.pick(members, { random: Math.random, now: i, hashKey: 'user-42' })).toBe(first);
    }
  });

  it('spreads keys evenly (each member within ±5 % of a third)', () => {
    const counts = countPicks(consistentHash(abc(), deps), abc(), KEYS, Math.random, key);
    for (const share of Object.values(counts)) expect(Math.abs(share / KEYS - 1 / 3)).toBeLessThan(0.05);
  });

  it('stays stable when a member is added: only about a quarter of the keys move, all to the new member', () => {
    const before = owners(abc());
    const after = owners([...abc(), testUpstream('d')]);
    let moved = 0;
    for (let i = 0; i < KEYS; i++) {
      if (before[i] === after[i]) continue;
      moved++;
      expect(after[i]).toBe('d');
    }
    expect(Math.abs(moved / KEYS - 0.25)).toBeLessThan(0.05);
  });

  it('does not depend on the order of the members', () => {
    const forward = owners(abc());
    const reversed = owners(abc().reverse());
    expect(reversed).toEqual(forward);
  });

  it('moves only the keys of a member that is left out (unhealthy), and they come back', () => {
    const members = abc();
    const all = owners(members);
    const withoutB = owners(
      members,
      members.filter((m) => m.name !== 'b'),
    );
    for (let i = 0; i < KEYS; i++) {
      if (all[i] === 'b') expect(withoutB[i]).not.toBe('b');
      else expect(withoutB[i]).toBe(all[i]);
    }
    expect(owners(members)).toEqual(all);
  });

  it('gives a member with weight 2 about twice the keys (±5 %)', () => {
    const members = [testUpstream('a', { weight: 2 }), testUpstream('b'), testUpstream('c')];
    const counts = countPicks(consistentHash(members, deps), members, KEYS, Math.random, key);
    expect(Math.abs(counts.a! / KEYS - 0.5)).toBeLessThan(0.05);
  });

  it('bounds the load: a hot key spills to the next member while its own is over the cap', () => {
    const members = abc();
    const strategy = consistentHash(members, deps);
    const pick = () => strategy.pick(members, { random: Math.random, now: 0, hashKey: 'hot-key' });
    const home = pick();
    home.inFlight = 10;
    const others = members.filter((m) => m !== home);
    others[0]!.inFlight = 1;
    others[1]!.inFlight = 1;
    // Cap = ceil(1.25 × (12 + 1) / 3) = 6: home holds 10, so the key goes elsewhere.
    const spilled = pick();
    expect(spilled).not.toBe(home);
    home.inFlight = 2;
    expect(pick()).toBe(home);
  });

  it('without a hash key (header missing) falls back to a weighted random pick', () => {
    const members = abc();
    const counts = countPicks(consistentHash(members, deps), members, 9_000, seededRandom(2));
    for (const share of Object.values(counts)) expect(Math.abs(share / 9_000 - 1 / 3)).toBeLessThan(0.03);
  });
});
