import type { LimitDecision, LimiterStore, LimitRule, LocalLimiter } from './limiter-store';
import { MemoryLimiter } from './memory-limiter';

/**
 * The memory driver of the shared limiter: the calls of a MemoryLimiter, each answered with a
 * Promise that is already settled (the state changes before the call returns).
 */
export class MemoryLimiterStore implements LimiterStore {
  constructor(readonly local: LocalLimiter = new MemoryLimiter()) {}

  take(key: string, rule: LimitRule, cost: number, now: number): Promise<LimitDecision> {
    return Promise.resolve(this.local.take(key, rule, cost, now));
  }

  adjust(key: string, rule: LimitRule, ticket: number, delta: number, now: number): Promise<void> {
    this.local.adjust(key, rule, ticket, delta, now);
    return Promise.resolve();
  }

  peek(key: string, rule: LimitRule, now: number): Promise<LimitDecision> {
    return Promise.resolve(this.local.peek(key, rule, now));
  }
}
