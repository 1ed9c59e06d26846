import type { Strategy } from '../strategy';

/**
 * The candidate with the fewest requests in flight for its `weight` (in-flight / weight), ties
 * broken at random so that equally idle members share the traffic.
 */
export function leastConnections(): Strategy {
  return {
    name: 'least-connections',
    pick(candidates, ctx) {
      let best = candidates[0]!;
      let bestLoad = Number.POSITIVE_INFINITY;
      let ties = 0;
      for (const candidate of candidates) {
        const load = candidate.inFlight / candidate.weight;
        if (load < bestLoad) {
          best = candidate;
          bestLoad = load;
          ties = 1;
        } else if (load === bestLoad) {
          ties++;
          if (ctx.random() * ties < 1) best = candidate;
        }
      }
      return best;
    },
  };
}
