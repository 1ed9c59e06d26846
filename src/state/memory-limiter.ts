import { type GcraState, gcraAdjust, gcraPeek, gcraTake } from './gcra';
import type { LimitDecision, LimitRule, LocalLimiter } from './limiter-store';
import { SlidingWindow } from './sliding-window';

interface Entry {
  gcra: GcraState | undefined;
  window: SlidingWindow | undefined;
  /** Refuse everything until this time (rules with `blockMs`). */
  blockedUntil: number;
  /** When this entry stops mattering: full again and not blocked. */
  idleAt: number;
}

/** How often idle keys (full again, not blocked) are dropped, on the clock the caller passes. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The in-memory limiter: one entry per key in a Map. Idle keys are swept on the caller's clock
 * (no timers), so memory follows the keys active in the last period, as with many client IPs.
 */
export class MemoryLimiter implements LocalLimiter {
  private readonly entries = new Map<string, Entry>();
  private nextSweep = 0;

  get size(): number {
    return this.entries.size;
  }

  take(key: string, rule: LimitRule, cost: number, now: number): LimitDecision {
    this.sweep(now);
    const entry = this.entry(key);
    if (entry.blockedUntil > now) return blocked(rule, entry.blockedUntil - now);
    const decision =
      rule.algorithm === 'gcra'
        ? this.takeGcra(entry, rule, cost, now)
        : this.takeWindow(entry, rule, cost, now);
    if (!decision.allowed && rule.blockMs) {
      entry.blockedUntil = now + rule.blockMs;
      entry.idleAt = Math.max(entry.idleAt, entry.blockedUntil);
      return blocked(rule, rule.blockMs);
    }
    entry.idleAt = Math.max(entry.idleAt, now + decision.resetMs, now + rule.periodMs);
    return decision;
  }

  private takeGcra(entry: Entry, rule: LimitRule, cost: number, now: number): LimitDecision {
    if (!entry.gcra) entry.gcra = { tat: 0 };
    return gcraTake(entry.gcra, rule, cost, now);
  }

  private takeWindow(entry: Entry, rule: LimitRule, cost: number, now: number): LimitDecision {
    if (!entry.window) entry.window = new SlidingWindow();
    return entry.window.take(rule, cost, now);
  }

  adjust(key: string, rule: LimitRule, ticket: number, delta: number, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || delta === 0) return;
    if (rule.algorithm === 'gcra') {
      if (entry.gcra) gcraAdjust(entry.gcra, rule, delta, now);
      if (entry.gcra) entry.idleAt = Math.max(entry.idleAt, entry.gcra.tat);
    } else {
      entry.window?.adjust(ticket, delta);
    }
  }

  peek(key: string, rule: LimitRule, now: number): LimitDecision {
    const entry = this.entries.get(key);
    if (entry && entry.blockedUntil > now) return blocked(rule, entry.blockedUntil - now);
    if (rule.algorithm === 'gcra') return gcraPeek(entry?.gcra ?? { tat: 0 }, rule, now);
    return entry?.window ? entry.window.peek(rule, now) : new SlidingWindow().peek(rule, now);
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { gcra: undefined, window: undefined, blockedUntil: 0, idleAt: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [key, entry] of this.entries) if (entry.idleAt <= now) this.entries.delete(key);
  }
}

function blocked(rule: LimitRule, retryAfterMs: number): LimitDecision {
  return { allowed: false, limit: rule.limit, remaining: 0, resetMs: retryAfterMs, retryAfterMs, ticket: 0 };
}
