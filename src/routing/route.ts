import { type HashConfig, hashSchema, type RouteConfig } from '../config/schema/route';
import { type CompiledConditions, compileConditions } from './match/conditions';
import { createSplit, type TrafficSplit } from './split';
import { STRATEGIES } from './strategies/index';
import type { Strategy } from './strategy';
import type { Upstream } from './upstream';
import type { UpstreamStats } from './upstream-stats';

/**
 * A route as the data plane sees it: what it matches, and the upstreams it sends to, grouped
 * into priority tiers, best first. A route with a traffic split sends to one of its groups'
 * pools instead (each pool is a Route of its own, named `route/group`).
 */
export interface Route {
  readonly name: string;
  readonly config: RouteConfig;
  readonly conditions: CompiledConditions;
  readonly members: readonly Upstream[];
  readonly tiers: readonly (readonly Upstream[])[];
  readonly strategy: Strategy;
  /** What consistent-hash hashes; undefined for every other strategy. */
  readonly hash: HashConfig | undefined;
  readonly split: TrafficSplit | undefined;
}

export interface RouteDeps {
  readonly stats: UpstreamStats;
}

export function createRoute(
  config: RouteConfig,
  upstreams: ReadonlyMap<string, Upstream>,
  deps: RouteDeps,
): Route {
  const pool = createPool(config.name, config.upstreams ?? [], config.strategy, config.hash, upstreams, deps);
  return {
    ...pool,
    config,
    conditions: compileConditions(config.match),
    split: config.split
      ? createSplit(config.name, config.split, (group) => ({
          ...createPool(
            `${config.name}/${group.name}`,
            group.upstreams,
            group.strategy,
            group.hash,
            upstreams,
            deps,
          ),
          config,
          conditions: compileConditions(undefined),
          split: undefined,
        }))
      : undefined,
  };
}

type Pool = Pick<Route, 'name' | 'members' | 'tiers' | 'strategy' | 'hash'>;

function createPool(
  name: string,
  memberNames: readonly string[],
  strategyName: RouteConfig['strategy'],
  hash: HashConfig | undefined,
  upstreams: ReadonlyMap<string, Upstream>,
  deps: RouteDeps,
): Pool {
  const members = memberNames.map((member) => upstreams.get(member)!).filter((u) => u.config.enabled);
  const hashConfig = strategyName === 'consistent-hash' ? (hash ?? hashSchema.parse({})) : undefined;
  const strategy = STRATEGIES[strategyName](members, { stats: deps.stats, hash: hashConfig });
  return {
    name,
    members,
    tiers: groupByPriority(members),
    strategy: feedingStats(strategy, deps.stats),
    hash: hashConfig,
  };
}

/** Every finished attempt also goes to the live statistics, whatever the strategy. */
function feedingStats(strategy: Strategy, stats: UpstreamStats): Strategy {
  return {
    name: strategy.name,
    pick: (candidates, ctx) => strategy.pick(candidates, ctx),
    observe(upstream, attempt) {
      stats.observe(upstream.name, attempt);
      strategy.observe?.(upstream, attempt);
    },
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
