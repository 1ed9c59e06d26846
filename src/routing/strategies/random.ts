import type { Strategy } from '../strategy';
import { configuredWeight, weightedPick } from './weighted-pick';

/** A random candidate; like `weighted-random`, each has a chance proportional to its `weight`. */
export function random(): Strategy {
  return {
    name: 'random',
    pick(candidates, ctx) {
      return weightedPick(candidates, configuredWeight, ctx.random);
    },
  };
}
