import type { Strategy } from '../strategy';

/**
 * Each candidate in turn; a member with weight w takes w turns in a row (a a a b for 3:1).
 * With equal weights this is plain rotation; `weighted-round-robin` gives the same shares
 * interleaved (a b a a).
 */
export function roundRobin(): Strategy {
  let cursor = 0;
  let turns = 0;
  return {
    name: 'round-robin',
    pick(candidates) {
      let pick = candidates[cursor % candidates.length]!;
      if (turns >= pick.weight) {
        cursor = (cursor + 1) % 1_000_000_007;
        turns = 0;
        pick = candidates[cursor % candidates.length]!;
      }
      turns++;
      return pick;
    },
  };
}
