import type { Strategy } from '../strategy';
import type { Upstream } from '../upstream';

/**
 * Smooth weighted round robin, as nginx does it: each pick adds every candidate's weight to its
 * running score, takes the highest and lowers it by the total. Weights 5:1:1 give
 * a a b a c a a rather than a a a a a b c. Members left out of a pick (unhealthy, already tried)
 * keep their score, so they rejoin where they left off.
 */
export function weightedRoundRobin(members: readonly Upstream[]): Strategy {
  const score = new Map<Upstream, number>();
  for (const member of members) score.set(member, 0);
  return {
    name: 'weighted-round-robin',
    pick(candidates) {
      let total = 0;
      let best = candidates[0]!;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const candidate of candidates) {
        const current = (score.get(candidate) ?? 0) + candidate.weight;
        score.set(candidate, current);
        total += candidate.weight;
        if (current > bestScore) {
          best = candidate;
          bestScore = current;
        }
      }
      score.set(best, bestScore - total);
      return best;
    },
  };
}
