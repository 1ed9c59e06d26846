import type { HealthTracker } from '../health/tracker';
import type { UpstreamKey } from './key-pool';
import type { Route } from './route';
import type { PickContext } from './strategy';
import type { Upstream } from './upstream';

export interface Target {
  readonly upstream: Upstream;
  /** Undefined for upstreams that have no keys (a self-hosted backend, a DoH resolver). */
  readonly key: UpstreamKey | undefined;
}

export interface Exclusions {
  /** Upstreams that already failed with an upstream-level verdict in this request. */
  readonly upstreams: ReadonlySet<string>;
  /** Keys (by id) already tried in this request. */
  readonly keys: ReadonlySet<string>;
  /** After a key-level failure: another key of this upstream is tried before other upstreams. */
  readonly sameUpstreamFirst?: Upstream;
}

/** The best priority tier that has a usable upstream (none excluded yet): a first attempt's candidates. */
export function firstCandidates(route: Route, health: HealthTracker, now: number): readonly Upstream[] {
  for (const tier of route.tiers) {
    const candidates = tier.filter((u) => health.upstreamUsable(u, now));
    if (candidates.length > 0) return candidates;
  }
  return [];
}

/**
 * Picks an upstream and a key: after a key-level failure another key of the same upstream;
 * otherwise the best priority tier that has a usable member, the route's strategy within it,
 * then the upstream's key rotation. Undefined when nothing is usable.
 */
export function selectTarget(
  route: Route,
  health: HealthTracker,
  exclusions: Exclusions,
  ctx: PickContext,
  /** Asked last, for a key otherwise usable: true takes it (per-key limits claim their share here). */
  claim?: (upstream: Upstream, key: UpstreamKey) => boolean,
): Target | undefined {
  const keyUsable = (upstream: Upstream) => (key: UpstreamKey) =>
    !exclusions.keys.has(key.id) &&
    health.keyUsable(upstream, key, ctx.now) &&
    (claim === undefined || claim(upstream, key));
  const same = exclusions.sameUpstreamFirst;
  if (
    same &&
    same.keys.size > 0 &&
    !exclusions.upstreams.has(same.name) &&
    health.upstreamUsable(same, ctx.now)
  ) {
    const key = same.keys.pick(keyUsable(same));
    if (key) return { upstream: same, key };
  }
  for (const tier of route.tiers) {
    let candidates = tier.filter(
      (u) => !exclusions.upstreams.has(u.name) && health.upstreamUsable(u, ctx.now),
    );
    let turn = ctx.turn;
    while (candidates.length > 0) {
      const upstream =
        turn && candidates.includes(turn.upstream) ? turn.upstream : route.strategy.pick(candidates, ctx);
      if (upstream.keys.size === 0) return { upstream, key: undefined };
      const key = upstream.keys.pick(
        keyUsable(upstream),
        upstream === turn?.upstream ? turn.keyTicket : undefined,
      );
      turn = undefined;
      if (key) return { upstream, key };
      candidates = candidates.filter((u) => u !== upstream);
    }
  }
  return undefined;
}
