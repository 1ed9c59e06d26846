import type { HealthPolicy } from '../config/schema/index';
import type { AttemptRecord } from './tracker';
import type { Verdict } from './verdict';

export type KeyStatus = 'active' | 'cooling' | 'disabled';

/** The health of one key of one upstream. Created on the key's first attempt. */
export class KeyState {
  status: KeyStatus = 'active';
  /** Cooling: usable again at this time. Disabled: the next validation (or timed return). */
  until = 0;
  consecutiveInvalid = 0;
  consecutiveRateLimits = 0;
  consecutiveFailures = 0;
  requests = 0;
  successes = 0;
  lastVerdict: Verdict | undefined = undefined;
  lastStatus = 0;
  lastError: string | undefined = undefined;
  /** When the key was last sent (0: not yet). */
  lastUsedAt = 0;
  reason = '';
  changedAt = 0;
}

/** A state change worth one log line. */
export interface Transition {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly until?: number;
}

/**
 * Applies one verdict to a key (docs/health.md):
 * rate limited → cooling for the hinted time (clamped; a doubling default when absent);
 * quota exhausted → cooling for `quota_cooldown`; invalid key → disabled after the threshold
 * (1 with an explicit provider marker); success → counters reset. Client errors, cancellations
 * and upstream faults never count against a key.
 */
export function applyKeyVerdict(
  state: KeyState,
  record: AttemptRecord,
  policy: HealthPolicy,
  now: number,
): Transition | undefined {
  state.requests++;
  state.lastUsedAt = now;
  state.lastVerdict = record.verdict;
  state.lastStatus = record.status;
  switch (record.verdict) {
    case 'success':
      state.successes++;
      state.consecutiveInvalid = 0;
      state.consecutiveRateLimits = 0;
      state.consecutiveFailures = 0;
      return state.status === 'active' ? undefined : activate(state, 'a request succeeded', now);
    case 'rate_limited':
      return fail(state, record, () => rateLimited(state, record, policy, now));
    case 'quota_exhausted':
      return fail(state, record, () =>
        cool(state, now + policy.quota_cooldown, `quota exhausted (${describe(record)})`, now),
      );
    case 'invalid_key':
      return fail(state, record, () => invalid(state, record, policy, now));
    default:
      return undefined;
  }
}

function fail(
  state: KeyState,
  record: AttemptRecord,
  apply: () => Transition | undefined,
): Transition | undefined {
  state.consecutiveFailures++;
  state.lastError = record.error;
  return apply();
}

function rateLimited(state: KeyState, record: AttemptRecord, policy: HealthPolicy, now: number): Transition {
  state.consecutiveRateLimits++;
  const fallback = policy.rate_limit_cooldown * 2 ** Math.min(state.consecutiveRateLimits - 1, 16);
  const wait = Math.min(record.retryAfterMs ?? fallback, policy.max_rate_limit_cooldown);
  const hint = record.retryAfterMs === undefined ? 'no Retry-After' : `Retry-After ${record.retryAfterMs} ms`;
  return cool(state, now + Math.max(wait, 0), `rate limited (${hint})`, now);
}

function invalid(
  state: KeyState,
  record: AttemptRecord,
  policy: HealthPolicy,
  now: number,
): Transition | undefined {
  state.consecutiveInvalid++;
  const threshold = record.marker ? policy.marker_blacklist_threshold : policy.blacklist_threshold;
  if (state.consecutiveInvalid < threshold || state.status === 'disabled') return undefined;
  const validation = policy.validation;
  const next = now + (validation.enabled ? validation.interval : validation.return_after);
  const why = `${state.consecutiveInvalid} consecutive invalid-key answer(s) (${describe(record)})`;
  return change(state, 'disabled', next, why, now);
}

function cool(state: KeyState, until: number, reason: string, now: number): Transition {
  if (state.status === 'disabled') return { from: 'disabled', to: 'disabled', reason };
  return change(state, 'cooling', Math.max(until, state.status === 'cooling' ? state.until : 0), reason, now);
}

export function activate(state: KeyState, reason: string, now: number): Transition {
  state.consecutiveInvalid = 0;
  state.consecutiveRateLimits = 0;
  state.consecutiveFailures = 0;
  return change(state, 'active', 0, reason, now);
}

function change(state: KeyState, to: KeyStatus, until: number, reason: string, now: number): Transition {
  const from = state.status;
  state.status = to;
  state.until = until;
  state.reason = reason;
  state.changedAt = now;
  return { from, to, reason, until: until || undefined };
}

function describe(record: AttemptRecord): string {
  return record.marker ? `HTTP ${record.status}, ${record.marker}` : `HTTP ${record.status}`;
}

/** Whether the key may take traffic now; a finished cooldown turns the key active again. */
export function keyAvailable(state: KeyState, now: number): boolean {
  if (state.status === 'active') return true;
  return state.status === 'cooling' && now >= state.until;
}
