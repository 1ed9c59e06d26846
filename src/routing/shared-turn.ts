import type { HealthTracker } from '../health/tracker';
import type { CursorStore, RotationMember } from '../state/cursor-store';
import type { RotationMode } from '../state/rotation';
import type { Route } from './route';
import { firstCandidates } from './select';
import type { Upstream } from './upstream';

/** A request's turn of a fleet-wide rotation: which upstream, and its key-pool ticket. */
export interface SharedTurn {
  readonly upstream: Upstream;
  readonly keyTicket: number | undefined;
}

/**
 * Takes the request's turn from the shared cursors (one call: one Redis round trip), for a route
 * whose strategy rotates (`round-robin`, `weighted-round-robin`) or that has one usable upstream
 * rotating several keys. Undefined when nothing rotates in turn (other strategies decide locally,
 * with their own key rotation) or the store failed (the local cursors decide instead).
 */
export async function sharedTurn(
  route: Route,
  health: HealthTracker,
  now: number,
  cursors: CursorStore,
): Promise<SharedTurn | undefined> {
  const candidates = firstCandidates(route, health, now);
  const mode = rotationMode(route, candidates);
  if (mode === undefined) return undefined;
  const members = candidates.map(rotationMember);
  if (candidates.length === 1 && members[0]!.keys === undefined) return undefined;
  try {
    const turn = await cursors.turn(`route:${route.name}`, members, mode);
    const upstream = candidates[turn.index];
    return upstream ? { upstream, keyTicket: turn.keyTicket } : undefined;
  } catch {
    return undefined;
  }
}

function rotationMode(route: Route, candidates: readonly Upstream[]): RotationMode | undefined {
  if (candidates.length === 0) return undefined;
  if (route.strategy.name === 'weighted-round-robin') return 'smooth';
  if (route.strategy.name === 'round-robin' || candidates.length === 1) return 'blocks';
  return undefined;
}

function rotationMember(upstream: Upstream): RotationMember {
  const rotates = upstream.keys.size > 1 && upstream.keys.rotation === 'round-robin';
  return { weight: upstream.weight, keys: rotates ? `keys:${upstream.name}` : undefined };
}
