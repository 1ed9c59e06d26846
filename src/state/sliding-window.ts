import type { LimitDecision, LimitRule } from './limiter-store';

/**
 * A sliding window log: every take is kept with its time and cost until it is one period old,
 * so no window of `periodMs` ever holds more than `limit` units, wherever it starts. Used where
 * a limit must never be exceeded (a provider's per-key limit). Entries live in a ring buffer;
 * each take and expiry is O(1) amortised; tickets find an entry again to reconcile its cost.
 */
export class SlidingWindow {
  private times = new Float64Array(8);
  private costs = new Float64Array(8);
  private head = 0;
  private count = 0;
  /** Ticket of the entry at `head`; tickets grow by one per take. */
  private headTicket = 1;
  private sum = 0;

  get used(): number {
    return this.sum;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  take(rule: LimitRule, cost: number, now: number): LimitDecision {
    this.expire(rule, now);
    const units = Math.min(cost, rule.limit);
    if (this.sum + units > rule.limit + 1e-9) {
      return this.decision(rule, now, false, this.waitFor(rule, units, now), 0);
    }
    const ticket = this.push(now, units);
    return this.decision(rule, now, true, 0, ticket);
  }

  adjust(ticket: number, delta: number): void {
    const offset = ticket - this.headTicket;
    if (offset < 0 || offset >= this.count) return;
    const index = (this.head + offset) % this.times.length;
    const next = Math.max(0, this.costs[index]! + delta);
    this.sum += next - this.costs[index]!;
    this.costs[index] = next;
  }

  peek(rule: LimitRule, now: number): LimitDecision {
    this.expire(rule, now);
    return this.decision(rule, now, true, 0, 0);
  }

  private expire(rule: LimitRule, now: number): void {
    const cutoff = now - rule.periodMs;
    while (this.count > 0 && this.times[this.head]! <= cutoff) {
      this.sum -= this.costs[this.head]!;
      this.head = (this.head + 1) % this.times.length;
      this.headTicket++;
      this.count--;
    }
    if (this.count === 0) this.sum = 0;
  }

  /** Milliseconds until enough of the oldest entries leave the window for `units` to fit. */
  private waitFor(rule: LimitRule, units: number, now: number): number {
    let freed = 0;
    for (let i = 0; i < this.count; i++) {
      const index = (this.head + i) % this.times.length;
      freed += this.costs[index]!;
      if (this.sum - freed + units <= rule.limit + 1e-9) return this.times[index]! + rule.periodMs - now;
    }
    return rule.periodMs;
  }

  private push(time: number, cost: number): number {
    if (this.count === this.times.length) this.grow();
    const index = (this.head + this.count) % this.times.length;
    this.times[index] = time;
    this.costs[index] = cost;
    this.count++;
    this.sum += cost;
    return this.headTicket + this.count - 1;
  }

  private grow(): void {
    const size = this.times.length;
    const times = new Float64Array(size * 2);
    const costs = new Float64Array(size * 2);
    for (let i = 0; i < this.count; i++) {
      times[i] = this.times[(this.head + i) % size]!;
      costs[i] = this.costs[(this.head + i) % size]!;
    }
    this.times = times;
    this.costs = costs;
    this.head = 0;
  }

  private decision(
    rule: LimitRule,
    now: number,
    allowed: boolean,
    retryAfterMs: number,
    ticket: number,
  ): LimitDecision {
    const newest =
      this.count === 0 ? undefined : this.times[(this.head + this.count - 1) % this.times.length]!;
    return {
      allowed,
      limit: rule.limit,
      remaining: Math.max(0, Math.floor(rule.limit - this.sum + 1e-9)),
      resetMs: newest === undefined ? 0 : Math.max(0, newest + rule.periodMs - now),
      retryAfterMs,
      ticket,
    };
  }
}
