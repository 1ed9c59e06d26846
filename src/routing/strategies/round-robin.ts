import type { Strategy } from '../strategy';

/** Each pick takes the next candidate in order. */
export function roundRobin(): Strategy {
  let cursor = 0;
  return {
    name: 'round-robin',
    pick(candidates) {
      const pick = candidates[cursor % candidates.length]!;
      cursor = (cursor + 1) % 1_000_000_007;
      return pick;
    },
  };
}
