import type { RotationMode } from './rotation';

/** A member of a rotation: its weight, and the cursor of its own key pool if it rotates keys. */
export interface RotationMember {
  readonly weight: number;
  /** The key pool's cursor name; undefined when the member's keys are not rotated in turn. */
  readonly keys?: string;
}

/** One turn of a shared rotation. */
export interface RotationTurn {
  /** The member this turn selects (an index into the members given). */
  readonly index: number;
  /** The selected member's key-pool ticket (1, 2, …); undefined when it names no key cursor. */
  readonly keyTicket: number | undefined;
}

/**
 * Rotation cursors shared by every instance on the store, so round robin and weighted round robin
 * stay even across a fleet. One `turn` advances the rotation's counter, maps it to a member
 * (`memberAt` in ./rotation) and advances that member's key-pool counter: one call, one round
 * trip on a remote driver. Cursors are named by the caller (`route:NAME`, `keys:UPSTREAM`).
 */
export interface CursorStore {
  turn(rotation: string, members: readonly RotationMember[], mode: RotationMode): Promise<RotationTurn>;
  /** The current value of a cursor (0 before its first turn); for tests and the admin view. */
  peek(name: string): Promise<number>;
}
