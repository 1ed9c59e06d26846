import { describe, expect, it } from 'vitest';
import { ProbeHealth } from '../../test/helpers/probe-health';
import { testUpstream } from '../../test/helpers/routing';
import { routeSchema } from '../config/schema/route';
import type { CursorStore } from '../state/cursor-store';
import { MemoryCursorStore } from '../state/memory-cursor-store';
import { createRoute } from './route';
import { selectTarget } from './select';
import { sharedTurn } from './shared-turn';
import type { Upstream } from './upstream';
import { UpstreamStats } from './upstream-stats';

const none = { upstreams: new Set<string>(), keys: new Set<string>() };
const KEYS = ['sk-turn-key-0001', 'sk-turn-key-0002', 'sk-turn-key-0003'];

function route(strategy: string, members: Upstream[]) {
  const upstreams = new Map(members.map((u) => [u.name, u]));
  const config = routeSchema.parse({ name: 'r', upstreams: [...upstreams.keys()], strategy });
  return createRoute(config, upstreams, { stats: new UpstreamStats() });
}

describe('sharedTurn', () => {
  it('names the upstream and key of a round-robin route’s turn, which selection then takes', async () => {
    const r = route('round-robin', [testUpstream('a', { keys: KEYS }), testUpstream('b', { keys: KEYS })]);
    const health = new ProbeHealth();
    const cursors = new MemoryCursorStore();
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) {
      const turn = await sharedTurn(r, health, 0, cursors);
      const target = selectTarget(r, health, none, { random: Math.random, now: 0, turn })!;
      picks.push(`${target.upstream.name}:${target.key!.index}`);
    }
    expect(picks).toEqual(['a:0', 'b:0', 'a:1', 'b:1']);
  });

  it('skips an upstream that is down: the turn rotates over the usable ones', async () => {
    const r = route('round-robin', [testUpstream('a'), testUpstream('b'), testUpstream('c')]);
    const health = new ProbeHealth();
    health.down.set('b', 'probe');
    const cursors = new MemoryCursorStore();
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await sharedTurn(r, health, 0, cursors))?.upstream.name);
    expect(names).toEqual(['a', 'c', 'a', 'c']);
  });

  it('takes a turn for one upstream rotating several keys, and none where nothing rotates', async () => {
    const cursors = new MemoryCursorStore();
    const health = new ProbeHealth();
    const pool = route('random', [testUpstream('only', { keys: KEYS })]);
    expect((await sharedTurn(pool, health, 0, cursors))?.keyTicket).toBe(1);
    const oneKey = route('round-robin', [testUpstream('only', { keys: [KEYS[0]!] })]);
    expect(await sharedTurn(oneKey, health, 0, cursors)).toBeUndefined();
    const random = route('random', [testUpstream('a'), testUpstream('b')]);
    expect(await sharedTurn(random, health, 0, cursors)).toBeUndefined();
    const randomKeys = route('round-robin', [testUpstream('r', { keys: KEYS, key_rotation: 'random' })]);
    expect(await sharedTurn(randomKeys, health, 0, cursors)).toBeUndefined();
  });

  it('gives no turn when the store fails: the route picks locally', async () => {
    const failing: CursorStore = { turn: () => Promise.reject(new Error('down')), peek: async () => 0 };
    const r = route('round-robin', [testUpstream('a'), testUpstream('b')]);
    expect(await sharedTurn(r, new ProbeHealth(), 0, failing)).toBeUndefined();
  });
});
