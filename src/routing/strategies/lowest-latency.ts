import type { Strategy, StrategyDeps } from '../strategy';
import type { Upstream } from '../upstream';

/** Share of picks made at random, so that a slow or recovered upstream gets measured again. */
export const EXPLORATION = 0.05;

/**
 * The faster of two random candidates ("power of two choices"): cost is the moving average of
 * time to first byte, raised by the error rate, divided by `weight`. Comparing two instead of
 * taking the global best keeps every gateway instance from stampeding onto the same member.
 * Members never measured cost 0, so they are tried first.
 */
export function lowestLatency(_members: readonly Upstream[], deps: StrategyDeps): Strategy {
  const cost = (upstream: Upstream) => deps.stats.cost(upstream.name) / upstream.weight;
  return {
    name: 'lowest-latency',
    pick(candidates, ctx) {
      const count = candidates.length;
      if (count === 1) return candidates[0]!;
      if (ctx.random() < EXPLORATION) return candidates[Math.floor(ctx.random() * count)]!;
      const first = Math.floor(ctx.random() * count);
      let second = Math.floor(ctx.random() * (count - 1));
      if (second >= first) second++;
      const a = candidates[first]!;
      const b = candidates[second]!;
      return cost(b) < cost(a) ? b : a;
    },
  };
}
