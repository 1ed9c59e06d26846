import type { Strategy } from '../strategy';
import { configuredWeight, weightedPick } from './weighted-pick';

/** A random candidate, each with a chance proportional to its `weight`. */
export function weightedRandom(): Strategy {
  return {
    name: 'weighted-random',
    pick(candidates, ctx) {
      return weightedPick(candidates, configuredWeight, ctx.random);
    },
  };
}
