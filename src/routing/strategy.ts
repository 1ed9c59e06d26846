import type { HashConfig } from '../config/schema/index';
import type { AttemptRecord } from '../health/tracker';
import type { SharedTurn } from './shared-turn';
import type { Upstream } from './upstream';
import type { UpstreamStats } from './upstream-stats';

export interface PickContext {
  /** A source in [0, 1): seeded in tests. */
  readonly random: () => number;
  readonly now: number;
  /** What sticky strategies hash (client IP, a header, the client token). */
  readonly hashKey?: string;
  /**
   * This request's turn of a rotation shared by the fleet (src/routing/shared-turn.ts): the
   * upstream to take when it is a candidate, and its key-pool ticket. First attempts only.
   */
  readonly turn?: SharedTurn;
}

/**
 * One selection interface for every strategy. `candidates` is already narrowed to the
 * usable members of the best priority tier, minus those tried in this request; it is never empty.
 * A strategy instance belongs to one route and may keep state (cursors, weights).
 */
export interface Strategy {
  readonly name: string;
  pick(candidates: readonly Upstream[], ctx: PickContext): Upstream;
  /** Sees every finished attempt of this route (latency- and error-aware strategies learn here). */
  observe?(upstream: Upstream, attempt: AttemptRecord): void;
}

/** What a strategy may read besides its members: live statistics and its route's hash settings. */
export interface StrategyDeps {
  readonly stats: UpstreamStats;
  readonly hash: HashConfig | undefined;
}

export type StrategyFactory = (members: readonly Upstream[], deps: StrategyDeps) => Strategy;
