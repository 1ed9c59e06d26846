import type { HealthTracker } from '../health/tracker';
import type { ConfigSnapshot } from '../routing/config-snapshot';

export interface UpstreamStatus {
  readonly name: string;
  readonly usable: boolean;
  readonly keys: { readonly total: number; readonly usable: number };
}

/** A server the gateway depends on (the PostgreSQL store…), as `/health` shows it. */
export interface DependencyStatus {
  readonly up: boolean;
  /** Why it is down (secrets masked). */
  readonly error?: string;
  /** What the gateway does meanwhile (`request log buffered: 12`). */
  readonly detail?: string;
}

/**
 * `GET /health`: liveness, plus a readiness summary of each upstream and the state of the servers
 * the gateway depends on; `status` is `degraded` while one of them is down (the gateway still
 * serves what needs nothing from it).
 */
export function healthReport(
  runtime: ConfigSnapshot,
  health: HealthTracker,
  now: number,
  dependencies: ReadonlyMap<string, () => DependencyStatus> = new Map(),
) {
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
  const states = Object.fromEntries([...dependencies].map(([name, status]) => [name, status()]));
  const degraded = Object.values(states).some((state) => !state.up);
  return {
    status: degraded ? ('degraded' as const) : ('ok' as const),
    ready,
    upstreams,
    routes: runtime.routes.map((route) => route.name),
    ...(dependencies.size > 0 ? { dependencies: states } : {}),
  };
}
