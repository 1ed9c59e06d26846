import type { HealthPolicy } from '../config/schema/index';
import type { Transition } from './key-state';
import type { AttemptRecord } from './tracker';

export type UpstreamStatus = 'healthy' | 'ejected' | 'half-open';

/** The health of one upstream (passive verdicts and active probes). */
export class UpstreamState {
  status: UpstreamStatus = 'healthy';
  consecutiveFaults = 0;
  /** Ejections since the upstream last stayed healthy; each one doubles the cooldown. */
  ejections = 0;
  ejectedUntil = 0;
  trialInFlight = false;
  recoveredAt = 0;
  probeDown = false;
  probeReason = '';
  requests = 0;
  faults = 0;
  reason = '';
  changedAt = 0;
}

/**
 * Applies one verdict to an upstream: `eject_threshold` consecutive upstream faults eject it
 * for `eject_cooldown × 2^(ejections-1)` (capped at `max_eject_cooldown`); after the cooldown
 * one trial request decides (half-open). Only upstream faults and successes count.
 */
export function applyUpstreamVerdict(
  state: UpstreamState,
  record: AttemptRecord,
  policy: HealthPolicy,
  now: number,
): Transition | undefined {
  state.requests++;
  if (record.verdict === 'upstream_fault') return fault(state, record, policy, now);
  if (record.verdict === 'client_cancelled') {
    if (state.status === 'half-open') state.trialInFlight = false;
    return undefined;
  }
  state.consecutiveFaults = 0;
  if (state.status === 'healthy') {
    if (state.ejections > 0 && now - state.recoveredAt > policy.max_eject_cooldown) state.ejections = 0;
    return undefined;
  }
  state.trialInFlight = false;
  state.recoveredAt = now;
  return change(state, 'healthy', 'a trial request succeeded', now);
}

function fault(
  state: UpstreamState,
  record: AttemptRecord,
  policy: HealthPolicy,
  now: number,
): Transition | undefined {
  state.faults++;
  state.consecutiveFaults++;
  const trialFailed = state.status === 'half-open';
  if (!trialFailed && (state.status === 'ejected' || state.consecutiveFaults < policy.eject_threshold))
    return undefined;
  state.ejections++;
  state.trialInFlight = false;
  const cooldown = Math.min(policy.eject_cooldown * 2 ** (state.ejections - 1), policy.max_eject_cooldown);
  state.ejectedUntil = now + cooldown;
  const why = trialFailed
    ? `the trial request failed (${record.error ?? `HTTP ${record.status}`})`
    : `${state.consecutiveFaults} consecutive upstream faults (last: ${record.error ?? `HTTP ${record.status}`})`;
  const transition = change(state, 'ejected', `${why}; ejected for ${cooldown} ms`, now);
  return { ...transition, until: state.ejectedUntil };
}

/** Whether the upstream may take a request now; an ended cooldown admits one trial. */
export function upstreamAvailable(state: UpstreamState, now: number): boolean {
  if (state.probeDown) return false;
  if (state.status === 'healthy') return true;
  if (state.status === 'ejected') return now >= state.ejectedUntil;
  return !state.trialInFlight;
}

/** A request refused before it was sent: no evidence; it only frees a half-open trial. */
export function releaseTrial(state: UpstreamState): void {
  if (state.status === 'half-open') state.trialInFlight = false;
}

/** Called when a request is sent: after an ejection ends, that request is the trial. */
export function noteDispatch(state: UpstreamState, now: number): Transition | undefined {
  if (state.status === 'healthy') return undefined;
  state.trialInFlight = true;
  if (state.status === 'ejected' && now >= state.ejectedUntil) {
    return change(state, 'half-open', 'cooldown over; sending one trial request', now);
  }
  return undefined;
}

function change(state: UpstreamState, to: UpstreamStatus, reason: string, now: number): Transition {
  const from = state.status;
  state.status = to;
  state.reason = reason;
  state.changedAt = now;
  return { from, to, reason };
}
