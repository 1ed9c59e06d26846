import type { LimitDecision, LimitRule } from './limiter-store';

/**
 * GCRA (the generic cell rate algorithm): the state is one number, the theoretical arrival time
 * (TAT) at which the bucket would be full again. Each unit advances it by the emission interval
 * `periodMs / limit`; a take is allowed while the TAT stays within one period of now. A client
 * may use its whole per-period allowance at once, then proceeds at the steady rate; there is no
 * window edge at which a second allowance becomes available.
 */
export interface GcraState {
  tat: number;
}

export function gcraTake(state: GcraState, rule: LimitRule, cost: number, now: number): LimitDecision {
  const interval = rule.periodMs / rule.limit;
  const units = Math.min(cost, rule.limit);
  const newTat = Math.max(state.tat, now) + units * interval;
  const allowAt = newTat - rule.periodMs;
  if (allowAt > now) return decision(state.tat, rule, now, false, allowAt - now);
  state.tat = newTat;
  return decision(newTat, rule, now, true, 0);
}

export function gcraAdjust(state: GcraState, rule: LimitRule, delta: number, now: number): void {
  const interval = rule.periodMs / rule.limit;
  state.tat =
    delta >= 0 ? Math.max(state.tat, now) + delta * interval : Math.max(now, state.tat + delta * interval);
}

export function gcraPeek(state: GcraState, rule: LimitRule, now: number): LimitDecision {
  return decision(state.tat, rule, now, true, 0);
}

function decision(
  tat: number,
  rule: LimitRule,
  now: number,
  allowed: boolean,
  retryAfterMs: number,
): LimitDecision {
  const resetMs = Math.max(0, tat - now);
  const interval = rule.periodMs / rule.limit;
  const remaining = Math.max(
    0,
    Math.min(rule.limit, Math.floor((rule.periodMs - resetMs) / interval + 1e-9)),
  );
  return { allowed, limit: rule.limit, remaining, resetMs, retryAfterMs, ticket: allowed ? 1 : 0 };
}
