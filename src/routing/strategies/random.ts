import type { Strategy } from '../strategy';

/** A uniform random candidate. */
export function random(): Strategy {
  return {
    name: 'random',
    pick(candidates, ctx) {
      return candidates[Math.floor(ctx.random() * candidates.length)]!;
    },
  };
}
