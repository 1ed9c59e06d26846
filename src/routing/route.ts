import type { RouteConfig } from '../config/schema/index';
import { STRATEGIES } from './strategies/index';
import type { Strategy } from './strategy';
import type { Upstream } from './upstream';

/** A route as the data plane sees it: its members grouped into priority tiers, best first. */
export interface Route {
  readonly name: string;
  readonly config: RouteConfig;
  readonly members: readonly Upstream[];
  readonly tiers: readonly (readonly Upstream[])[];
  readonly strategy: Strategy;
}

export function createRoute(config: RouteConfig, upstreams: ReadonlyMap<string, Upstream>): Route {
  const members = config.upstreams.map((name) => upstreams.get(name)!).filter((u) => u.config.enabled);
  return {
    name: config.name,
    config,
    members,
    tiers: groupByPriority(members),
    strategy: STRATEGIES[config.strategy](members),
  };
}

function groupByPriority(members: readonly Upstream[]): Upstream[][] {
  const byPriority = new Map<number, Upstream[]>();
  for (const member of members) {
    const tier = byPriority.get(member.priority) ?? [];
    tier.push(member);
    byPriority.set(member.priority, tier);
  }
  return [...byPriority.entries()].sort((a, b) => a[0] - b[0]).map(([, tier]) => tier);
}
