import type { Strategy, StrategyDeps } from '../strategy';
import type { Upstream } from '../upstream';
import { weightedPick } from './weighted-pick';

/** No member's share drops below this fraction of its configured weight: it keeps being measured. */
const FLOOR = 0.02;

/**
 * Weighted random with weights that follow the live figures: the configured `weight`, times
 * (fastest candidate's latency / own latency), times (1 - error rate)². An upstream twice as slow
 * as the fastest gets half its share; one failing half its requests a quarter. Never below 2 %
 * of the configured weight, and members never measured keep their full weight.
 */
export function adaptive(_members: readonly Upstream[], deps: StrategyDeps): Strategy {
  let fastest = Number.POSITIVE_INFINITY;
  const effectiveWeight = (upstream: Upstream): number => {
    const stat = deps.stats.get(upstream.name);
    if (!stat) return upstream.weight;
    const speed = Number.isNaN(stat.ttfbEwma) ? 1 : fastest / Math.max(stat.ttfbEwma, 0.001);
    const health = (1 - stat.errorRate) ** 2;
    return upstream.weight * Math.max(FLOOR, Math.min(1, speed) * health);
  };
  return {
    name: 'adaptive',
    pick(candidates, ctx) {
      fastest = Number.POSITIVE_INFINITY;
      for (const candidate of candidates) {
        const latency = deps.stats.get(candidate.name)?.ttfbEwma;
        if (latency !== undefined && latency < fastest) fastest = Math.max(latency, 0.001);
      }
      return weightedPick(candidates, effectiveWeight, ctx.random);
    },
  };
}
