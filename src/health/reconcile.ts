import type { Upstream } from '../routing/upstream';

/** The per-upstream state of a scheduled probe (health check, keep-alive ping). */
export interface ScheduledState {
  upstream: Upstream;
  readonly signature: string;
}

export interface ReconcileHooks<C, S extends ScheduledState> {
  /** This upstream's probe settings, or undefined when it has none (or they are off). */
  readonly configOf: (upstream: Upstream) => (C & { readonly enabled: boolean }) | undefined;
  readonly start: (upstream: Upstream, config: C, signature: string) => void;
  /** Stops one probe; `replaced`: it is started again with new settings. */
  readonly retire: (state: S, replaced: boolean) => void;
}

/**
 * Brings running probes in line with the current upstreams after a (re)load: unchanged ones keep
 * their schedule (and take the new Upstream object), changed ones restart, removed ones stop.
 */
export function reconcileSchedules<C, S extends ScheduledState>(
  states: ReadonlyMap<string, S>,
  upstreams: Iterable<Upstream>,
  hooks: ReconcileHooks<C, S>,
): void {
  const seen = new Set<string>();
  for (const upstream of upstreams) {
    const config = hooks.configOf(upstream);
    if (!config?.enabled || !upstream.config.enabled) continue;
    seen.add(upstream.name);
    const signature = JSON.stringify([config, upstream.config.url]);
    const existing = states.get(upstream.name);
    if (existing?.signature === signature) {
      existing.upstream = upstream;
      continue;
    }
    if (existing) hooks.retire(existing, true);
    hooks.start(upstream, config, signature);
  }
  for (const [name, state] of [...states]) if (!seen.has(name)) hooks.retire(state, false);
}
