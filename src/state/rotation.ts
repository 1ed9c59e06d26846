/**
 * Where a shared rotation cursor points: the member a ticket (1, 2, 3, … from a counter shared by
 * every instance) selects. The same mapping runs in the memory driver and, as Lua, in the Redis
 * driver's script (src/adapter/node/redis/cursor-lua.ts), so both give the same sequence.
 *
 * - `blocks` (the `round-robin` strategy): a member of weight w takes w turns in a row (a a a b).
 * - `smooth` (`weighted-round-robin`): nginx's smooth weighted round robin from zero scores
 *   (a b a a for 3:1), position `(ticket - 1) mod total weight` of its period. Weights are divided
 *   by their greatest common divisor first; a period longer than SMOOTH_LIMIT falls back to
 *   `blocks` (the same shares, less interleaved), so one turn costs at most that many steps.
 */
export type RotationMode = 'blocks' | 'smooth';

export const SMOOTH_LIMIT = 1_000;

/** The index in `weights` that `ticket` (≥ 1) selects; weights are ≥ 1. */
export function memberAt(ticket: number, weights: readonly number[], mode: RotationMode): number {
  const reduced = reduceWeights(weights);
  let total = 0;
  for (const weight of reduced) total += weight;
  const position = (((ticket - 1) % total) + total) % total;
  if (mode === 'smooth' && total <= SMOOTH_LIMIT) return smoothAt(position, reduced);
  let point = position;
  for (let i = 0; i < reduced.length; i++) {
    point -= reduced[i]!;
    if (point < 0) return i;
  }
  return reduced.length - 1;
}

function smoothAt(position: number, weights: readonly number[]): number {
  const score = weights.map(() => 0);
  let total = 0;
  for (const weight of weights) total += weight;
  let best = 0;
  for (let step = 0; step <= position; step++) {
    best = 0;
    for (let i = 0; i < weights.length; i++) {
      score[i]! += weights[i]!;
      if (score[i]! > score[best]!) best = i;
    }
    score[best]! -= total;
  }
  return best;
}

function reduceWeights(weights: readonly number[]): number[] {
  const positive = weights.map((weight) => Math.max(1, Math.floor(weight)));
  let divisor = positive[0] ?? 1;
  for (const weight of positive) divisor = gcd(divisor, weight);
  return positive.map((weight) => weight / divisor);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
