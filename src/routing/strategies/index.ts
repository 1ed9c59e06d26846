import type { StrategyName } from '../../config/schema/route';
import type { StrategyFactory } from '../strategy';
import { adaptive } from './adaptive';
import { consistentHash } from './consistent-hash';
import { leastConnections } from './least-connections';
import { lowestLatency } from './lowest-latency';
import { random } from './random';
import { roundRobin } from './round-robin';
import { weightedRandom } from './weighted-random';
import { weightedRoundRobin } from './weighted-round-robin';

/** The strategies a route's `strategy:` may name. */
export const STRATEGIES: Record<StrategyName, StrategyFactory> = {
  'round-robin': roundRobin,
  'weighted-round-robin': weightedRoundRobin,
  random,
  'weighted-random': weightedRandom,
  'least-connections': leastConnections,
  'lowest-latency': lowestLatency,
  adaptive,
  'consistent-hash': consistentHash,
};
