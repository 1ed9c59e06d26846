import { describe, expect, it } from 'vitest';
import { ProbeHealth } from '../../test/helpers/probe-health';
import { testUpstream } from '../../test/helpers/routing';
import { seededRandom } from '../../test/helpers/seeded-random';
import { routeSchema, STRATEGY_NAMES } from '../config/schema/route';
import { createRoute } from './route';
import { selectTarget } from './select';
import type { Upstream } from './upstream';
import { UpstreamStats } from './upstream-stats';

const none = { upstreams: new Set<string>(), keys: new Set<string>() };

function tieredRoute(strategy: string) {
  const upstreams = new Map<string, Upstream>(
    [
      testUpstream('primary-a', { priority: 0, keys: ['sk-a-0000000001'] }),
      testUpstream('primary-b', { priority: 0, weight: 3 }),
      testUpstream('standby', { priority: 1, weight: 100 }),
      testUpstream('last-resort', { priority: 5 }),
    ].map((u) => [u.name, u]),
  );
  const config = routeSchema.parse({ name: 'r', upstreams: [...upstreams.keys()], strategy });
  return { route: createRoute(config, upstreams, { stats: new UpstreamStats() }), upstreams };
}

const STRATEGIES = [...STRATEGY_NAMES];

describe('priority tiers', () => {
  it.each(STRATEGIES)(
    '%s: uses only the best tier while any member of it is healthy, fails over and back',
    (name) => {
      const { route, upstreams } = tieredRoute(name);
      const health = new ProbeHealth();
      const random = seededRandom(4);
      const pickNames = (n: number) =>
        new Set(
          Array.from(
            { length: n },
            (_, i) => selectTarget(route, health, none, { random, now: i, hashKey: `k${i}` })!.upstream.name,
          ),
        );
      expect(pickNames(200)).toEqual(new Set(['primary-a', 'primary-b']));
      // One primary down: the other primary takes everything; the heavy standby gets nothing.
      health.setProbeState(upstreams.get('primary-a')!, false, 'test', 0);
      expect(pickNames(50)).toEqual(new Set(['primary-b']));
      // The whole tier down: the next tier, never the one after it.
      health.setProbeState(upstreams.get('primary-b')!, false, 'test', 0);
      expect(pickNames(50)).toEqual(new Set(['standby']));
      health.setProbeState(upstreams.get('standby')!, false, 'test', 0);
      expect(pickNames(20)).toEqual(new Set(['last-resort']));
      // Recovery: back to the best tier at once.
      health.setProbeState(upstreams.get('primary-b')!, true, 'test', 0);
      expect(pickNames(50)).toEqual(new Set(['primary-b']));
    },
  );

  it('skips members already tried in this request, then the next tier', () => {
    const { route } = tieredRoute('round-robin');
    const tried = { upstreams: new Set(['primary-a', 'primary-b']), keys: new Set<string>() };
    const target = selectTarget(route, new ProbeHealth(), tried, { random: Math.random, now: 0 });
    expect(target?.upstream.name).toBe('standby');
  });

  it('returns nothing when every member is out', () => {
    const { route, upstreams } = tieredRoute('round-robin');
    const health = new ProbeHealth();
    for (const upstream of upstreams.values()) health.setProbeState(upstream, false, 'down', 0);
    expect(selectTarget(route, health, none, { random: Math.random, now: 0 })).toBeUndefined();
  });
});
