import type { HealthTracker } from './tracker';

/** Health that never takes a member out of rotation: for tests that isolate selection. */
export const noHealthTracking: HealthTracker = {
  upstreamUsable: () => true,
  keyUsable: () => true,
  record: () => {},
  setProbeState: () => {},
  onDispatch: () => {},
  explainUnavailable: () => ({ kind: 'unavailable', retryAfterMs: undefined, detail: 'no member is usable' }),
};
