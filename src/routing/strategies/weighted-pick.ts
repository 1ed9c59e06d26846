import type { Upstream } from '../upstream';

/**
 * A candidate drawn with probability proportional to `weightOf` (one pass to total, one to pick;
 * nothing allocated). Falls back to a uniform draw when every weight is 0.
 */
export function weightedPick(
  candidates: readonly Upstream[],
  weightOf: (upstream: Upstream) => number,
  random: () => number,
): Upstream {
  let total = 0;
  for (const candidate of candidates) total += weightOf(candidate);
  if (!(total > 0)) return candidates[Math.floor(random() * candidates.length)]!;
  let point = random() * total;
  for (const candidate of candidates) {
    point -= weightOf(candidate);
    if (point < 0) return candidate;
  }
  return candidates[candidates.length - 1]!;
}

export const configuredWeight = (upstream: Upstream): number => upstream.weight;
