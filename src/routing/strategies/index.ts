import type { StrategyName } from '../../config/schema/route';
import type { StrategyFactory } from '../strategy';
import { random } from './random';
import { roundRobin } from './round-robin';

/** The strategies a route's `strategy:` may name. */
export const STRATEGIES: Record<StrategyName, StrategyFactory> = {
  'round-robin': roundRobin,
  random,
};
