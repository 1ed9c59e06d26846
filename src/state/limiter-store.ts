/**
 * Live rate-limit state behind one small interface (DESIGN.md §3): the in-memory driver is the
 * default; a Redis driver implements the same operations atomically (one Lua script each), so
 * many gateway instances can share limits. Algorithms are named per rule, never fixed windows.
 */
export type LimitAlgorithm = 'gcra' | 'sliding-window';

export interface LimitRule {
  readonly algorithm: LimitAlgorithm;
  /** Units (requests or tokens) allowed per period. */
  readonly limit: number;
  readonly periodMs: number;
  /** Once refused, refuse everything for this long (per-IP limits). 0: no block. */
  readonly blockMs?: number;
}

export interface LimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  /** Units that could still be taken now. */
  readonly remaining: number;
  /** Milliseconds until the state is back to full (OpenAI's `x-ratelimit-reset-*`). */
  readonly resetMs: number;
  /** Milliseconds until this request would be allowed; 0 when allowed. */
  readonly retryAfterMs: number;
  /** Identifies what was taken, for `adjust` (sliding window); 0 when nothing was taken. */
  readonly ticket: number;
}

/**
 * The shared limiter: every call may cross the network (a Redis driver runs one Lua script per
 * call), so each returns a Promise. The memory driver resolves at once.
 */
export interface LimiterStore {
  /** Takes `cost` units when they fit; takes nothing when refused. Atomic per key. */
  take(key: string, rule: LimitRule, cost: number, now: number): Promise<LimitDecision>;
  /**
   * Corrects what a ticket took by `delta` units without a check: negative gives back an
   * over-estimate, positive charges what was used beyond it (reconcile after the response).
   */
  adjust(key: string, rule: LimitRule, ticket: number, delta: number, now: number): Promise<void>;
  /** The state without taking anything (headers of a refusal made by another limit). */
  peek(key: string, rule: LimitRule, now: number): Promise<LimitDecision>;
}

/**
 * The same three calls, answered at once from this process's memory: the local view that the
 * synchronous hot-path checks (per-IP limit before the credential, per-key gate inside key
 * selection) decide on (docs/decisions.md, "State: async interfaces, local views").
 */
export interface LocalLimiter {
  take(key: string, rule: LimitRule, cost: number, now: number): LimitDecision;
  adjust(key: string, rule: LimitRule, ticket: number, delta: number, now: number): void;
  peek(key: string, rule: LimitRule, now: number): LimitDecision;
}
