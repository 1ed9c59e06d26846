import type { ConcurrencyStore } from '../../../state/concurrency-store';
import type { CursorStore, RotationMember, RotationTurn } from '../../../state/cursor-store';
import type { LimitDecision, LimiterStore, LimitRule } from '../../../state/limiter-store';
import { MemoryConcurrencyStore } from '../../../state/memory-concurrency-store';
import { MemoryLimiterStore } from '../../../state/memory-limiter-store';
import type { RotationMode } from '../../../state/rotation';

/** What the fallback stores need to know about the shared state. */
export interface FaultPolicy {
  /** Whether the shared state answers now (false: go local without trying). */
  readonly up: boolean;
  /** Instances last seen sharing the state (this one included); at least 1. */
  readonly fleetSize: number;
  /** A call to the shared state failed (logged once per outage by the owner). */
  fault(err: unknown): void;
}

/** This instance's share of a limit while the shared state is unreachable: limit / fleet size, at least 1. */
export function localShare(rule: LimitRule, fleetSize: number): LimitRule {
  const limit = Math.max(1, Math.floor(rule.limit / Math.max(1, fleetSize)));
  return limit === rule.limit ? rule : { ...rule, limit };
}

/**
 * Client rate limits on the shared store, and on this instance's share of each limit in memory
 * while the shared store is unreachable (at start or later), so no request waits on a dead link
 * and the fleet as a whole stays near the limit.
 */
export class FallbackLimiterStore implements LimiterStore {
  private readonly local = new MemoryLimiterStore();

  constructor(
    private readonly shared: LimiterStore,
    private readonly policy: FaultPolicy,
  ) {}

  async take(key: string, rule: LimitRule, cost: number, now: number): Promise<LimitDecision> {
    if (this.policy.up) {
      try {
        return await this.shared.take(key, rule, cost, now);
      } catch (err) {
        this.policy.fault(err);
      }
    }
    return this.local.take(key, localShare(rule, this.policy.fleetSize), cost, now);
  }

  async adjust(key: string, rule: LimitRule, ticket: number, delta: number, now: number): Promise<void> {
    if (this.policy.up) {
      try {
        return await this.shared.adjust(key, rule, ticket, delta, now);
      } catch (err) {
        this.policy.fault(err);
      }
    }
    await this.local.adjust(key, localShare(rule, this.policy.fleetSize), ticket, delta, now);
  }

  async peek(key: string, rule: LimitRule, now: number): Promise<LimitDecision> {
    if (this.policy.up) {
      try {
        return await this.shared.peek(key, rule, now);
      } catch (err) {
        this.policy.fault(err);
      }
    }
    return this.local.peek(key, localShare(rule, this.policy.fleetSize), now);
  }
}

/**
 * Client concurrency on the shared store, or counted in memory while it is unreachable (each
 * instance then allows its share). A place taken locally is given back locally.
 */
export class FallbackConcurrencyStore implements ConcurrencyStore {
  private readonly local = new MemoryConcurrencyStore();

  constructor(
    private readonly shared: ConcurrencyStore,
    private readonly policy: FaultPolicy,
  ) {}

  async acquire(name: string, limit: number): Promise<boolean> {
    if (this.policy.up) {
      try {
        return await this.shared.acquire(name, limit);
      } catch (err) {
        this.policy.fault(err);
      }
    }
    const share = Math.max(1, Math.floor(limit / Math.max(1, this.policy.fleetSize)));
    return this.local.acquire(name, share);
  }

  async release(name: string): Promise<void> {
    if ((await this.local.count(name)) > 0) return this.local.release(name);
    try {
      await this.shared.release(name);
    } catch (err) {
      // The counter's idle expiry gives this place back (src/adapter/node/redis/concurrency-store.ts).
      this.policy.fault(err);
    }
  }

  async count(name: string): Promise<number> {
    const local = await this.local.count(name);
    if (!this.policy.up) return local;
    try {
      return local + (await this.shared.count(name));
    } catch (err) {
      this.policy.fault(err);
      return local;
    }
  }
}

/**
 * Rotation cursors on the shared store; while it is unreachable a turn fails at once and the
 * route's own strategy picks locally (src/routing/shared-turn.ts).
 */
export class FallbackCursorStore implements CursorStore {
  constructor(
    private readonly shared: CursorStore,
    private readonly policy: FaultPolicy,
  ) {}

  async turn(
    rotation: string,
    members: readonly RotationMember[],
    mode: RotationMode,
  ): Promise<RotationTurn> {
    if (!this.policy.up) throw new Error('shared state unreachable: rotating locally');
    try {
      return await this.shared.turn(rotation, members, mode);
    } catch (err) {
      this.policy.fault(err);
      throw err;
    }
  }

  peek(name: string): Promise<number> {
    return this.shared.peek(name);
  }
}
