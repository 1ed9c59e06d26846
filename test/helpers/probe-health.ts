import type { HealthTracker, Unavailability } from '../../src/health/tracker';
import type { Upstream } from '../../src/routing/upstream';

/**
 * A health tracker that only follows probe verdicts (setProbeState) and explicit marks:
 * enough to test routing against health without the full classifier-driven tracker.
 */
export class ProbeHealth implements HealthTracker {
  readonly down = new Map<string, string>();
  readonly transitions: { upstream: string; healthy: boolean; reason: string }[] = [];

  upstreamUsable(upstream: Upstream): boolean {
    return !this.down.has(upstream.name);
  }

  keyUsable(): boolean {
    return true;
  }

  record(): void {}

  onDispatch(): void {}

  explainUnavailable(): Unavailability {
    return { kind: 'unavailable', retryAfterMs: undefined, detail: [...this.down.values()].join('; ') };
  }

  setProbeState(upstream: Upstream, healthy: boolean, reason: string, _now: number): void {
    this.transitions.push({ upstream: upstream.name, healthy, reason });
    if (healthy) this.down.delete(upstream.name);
    else this.down.set(upstream.name, reason);
  }
}
