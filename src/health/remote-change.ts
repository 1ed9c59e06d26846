import type { KeyHealthChange, UpstreamHealthChange } from '../state/health-sync';
import type { KeyState } from './key-state';
import type { UpstreamState } from './upstream-state';

export type UpstreamHealthStatus = UpstreamHealthChange['status'];

/** Another instance's key change, applied as it is: the next verdict here decides again. */
export function applyKeyChange(state: KeyState, change: KeyHealthChange): void {
  state.status = change.status;
  state.until = change.until;
  state.reason = change.reason;
}

/** Another instance's ejection, recovery or health check verdict for an upstream. */
export function applyUpstreamChange(state: UpstreamState, change: UpstreamHealthChange): void {
  if (change.status === 'probe-down' || change.status === 'probe-up') {
    state.probeDown = change.status === 'probe-down';
    state.probeReason = change.reason;
    return;
  }
  state.status = change.status;
  state.reason = change.reason;
  state.ejectedUntil = change.until;
  if (change.status === 'healthy') state.consecutiveFaults = 0;
}
