import type { LimitDecision, LimitRule, LocalLimiter } from './limiter-store';

/** This instance's share of a limit: the limit divided by the instances sharing it, at least 1. */
export function shareOf(rule: LimitRule, instances: number): LimitRule {
  const limit = Math.max(1, Math.floor(rule.limit / Math.max(1, instances)));
  return limit === rule.limit ? rule : { ...rule, limit };
}

/**
 * The local view of a fleet (`state.url`): the synchronous checks (per-IP limit, per-key limits
 * in key selection) count in this process's memory against this instance's share of each limit,
 * so the fleet as a whole stays within it when traffic is spread evenly (rotation is shared).
 */
export class ShareLimiter implements LocalLimiter {
  constructor(
    private readonly inner: LocalLimiter,
    private readonly instances: () => number,
  ) {}

  take(key: string, rule: LimitRule, cost: number, now: number): LimitDecision {
    return this.inner.take(key, shareOf(rule, this.instances()), cost, now);
  }

  adjust(key: string, rule: LimitRule, ticket: number, delta: number, now: number): void {
    this.inner.adjust(key, shareOf(rule, this.instances()), ticket, delta, now);
  }

  peek(key: string, rule: LimitRule, now: number): LimitDecision {
    return this.inner.peek(key, shareOf(rule, this.instances()), now);
  }
}
