import {
  type HashConfig,
  hashSchema,
  type RouteConfig,
  type SplitGroupConfig,
  type StrategyName,
} from '../config/schema/route';
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
  const pool = createPool({ ...config, upstreams: config.upstreams ?? [] }, upstreams, deps);
  const groupRoute = (group: SplitGroupConfig): Route => ({
    ...createPool({ ...group, name: `${config.name}/${group.name}` }, upstreams, deps),
    config,
    conditions: compileConditions(undefined),
    split: undefined,
  });
  return {
    ...pool,
    config,
    conditions: compileConditions(config.match),
    split: config.split ? createSplit(config.name, config.split, groupRoute) : undefined,
  };
}

/** What a pool is built from: a route's or a split group's upstreams, strategy and hash. */
interface PoolConfig {
  readonly name: string;
  readonly upstreams: readonly string[];
  readonly strategy: StrategyName;
  readonly hash?: HashConfig;
}

type Pool = Pick<Route, 'name' | 'members' | 'tiers' | 'strategy' | 'hash'>;

function createPool(config: PoolConfig, upstreams: ReadonlyMap<string, Upstream>, deps: RouteDeps): Pool {
  const members = config.upstreams.map((name) => upstreams.get(name)!).filter((u) => u.config.enabled);
  const hash = config.strategy === 'consistent-hash' ? (config.hash ?? hashSchema.parse({})) : undefined;
  const strategy = STRATEGIES[config.strategy](members, { stats: deps.stats, hash });
  return {
    name: config.name,
    members,
    tiers: groupByPriority(members),
    strategy: feedingStats(strategy, deps.stats),
    hash,
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
