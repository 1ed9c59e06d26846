import { hash32 } from '../hash';
import type { Strategy, StrategyDeps } from '../strategy';
import type { Upstream } from '../upstream';
import { configuredWeight, weightedPick } from './weighted-pick';

/** Points on the ring per unit of `weight`: enough for an even spread of keys. */
const POINTS_PER_WEIGHT = 100;
const MAX_POINTS_PER_MEMBER = 10_000;
const DEFAULT_LOAD_FACTOR = 1.25;

interface Ring {
  /** Sorted hash positions. */
  readonly points: Uint32Array;
  /** The member index owning each point. */
  readonly owners: Uint32Array;
}

/**
 * Consistent hashing with bounded loads: the hash key (client IP, a header, the client token)
 * lands on a ring of virtual points; the first member clockwise that is a candidate and holds
 * fewer than `load_factor` × its fair share of the requests in flight takes it. A key keeps its
 * member while that member is healthy and not overloaded (provider prompt caches stay warm), and
 * adding a member moves only the keys that now land on it. Without a key: weighted random.
 */
export function consistentHash(members: readonly Upstream[], deps: StrategyDeps): Strategy {
  const ring = buildRing(members);
  const indexOf = new Map<string, number>(members.map((member, index) => [member.name, index]));
  const stamp = new Uint32Array(members.length);
  const slot: Upstream[] = [...members];
  let generation = 0;
  const loadFactor = deps.hash?.load_factor ?? DEFAULT_LOAD_FACTOR;
  return {
    name: 'consistent-hash',
    pick(candidates, ctx) {
      if (ctx.hashKey === undefined) return weightedPick(candidates, configuredWeight, ctx.random);
      generation = generation === 0xffffffff ? 1 : generation + 1;
      let inFlight = 0;
      let weights = 0;
      for (const candidate of candidates) {
        const index = indexOf.get(candidate.name);
        if (index === undefined) continue;
        stamp[index] = generation;
        slot[index] = candidate;
        inFlight += candidate.inFlight;
        weights += candidate.weight;
      }
      const size = ring.points.length;
      const start = lowerBound(ring.points, hash32(ctx.hashKey));
      for (let step = 0; step < size; step++) {
        const owner = ring.owners[(start + step) % size]!;
        if (stamp[owner] !== generation) continue;
        const member = slot[owner]!;
        const cap = Math.ceil((loadFactor * (inFlight + 1) * member.weight) / weights);
        if (member.inFlight < cap) return member;
      }
      return candidates[0]!;
    },
  };
}

/** Positions depend only on each member's name and weight, never on the order of the list. */
export function buildRing(members: readonly Upstream[]): Ring {
  const packed: number[] = [];
  members.forEach((member, index) => {
    const count = Math.min(MAX_POINTS_PER_MEMBER, POINTS_PER_WEIGHT * member.weight);
    for (let v = 0; v < count; v++) packed.push(hash32(`${member.name}#${v}`) * 0x10000 + index);
  });
  const sorted = Float64Array.from(packed).sort();
  const points = new Uint32Array(sorted.length);
  const owners = new Uint32Array(sorted.length);
  sorted.forEach((value, i) => {
    owners[i] = value % 0x10000;
    points[i] = Math.floor(value / 0x10000);
  });
  return { points, owners };
}

/** The first index whose point is >= value, wrapping to 0 past the end. */
function lowerBound(points: Uint32Array, value: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (points[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low === points.length ? 0 : low;
}
