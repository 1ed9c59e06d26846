import type { HealthTracker } from '../health/tracker';
import type { ConfigSnapshot } from '../routing/config-snapshot';

export interface UpstreamStatus {
  readonly name: string;
  readonly usable: boolean;
  readonly keys: { readonly total: number; readonly usable: number };
}

/** `GET /health`: liveness, plus a readiness summary of each upstream. */
export function healthReport(runtime: ConfigSnapshot, health: HealthTracker, now: number) {
  const upstreams: UpstreamStatus[] = [];
  for (const upstream of runtime.upstreams.values()) {
    let usableKeys = 0;
    for (const key of upstream.keys.keys) if (health.keyUsable(upstream, key, now)) usableKeys++;
    upstreams.push({
      name: upstream.name,
      usable:
        upstream.config.enabled &&
        health.upstreamUsable(upstream, now) &&
        (upstream.keys.size === 0 || usableKeys > 0),
      keys: { total: upstream.keys.size, usable: usableKeys },
    });
  }
  const ready = upstreams.some((u) => u.usable);
  return {
    status: 'ok' as const,
    ready,
    upstreams,
    routes: runtime.routes.map((route) => route.name),
  };
}
