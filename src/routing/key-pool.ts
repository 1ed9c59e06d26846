import { fingerprint, maskSecret } from '../observe/mask';

export interface UpstreamKey {
  readonly secret: string;
  /** Fingerprint of the secret: the key's identity in health state, logs and the request log. */
  readonly id: string;
  readonly masked: string;
  readonly index: number;
}

export type KeyRotation = 'round-robin' | 'random';

export type KeyFilter = (key: UpstreamKey) => boolean;

/**
 * The keys of one upstream and the rotation over them. Built again on every config change;
 * keys the previous pool had keep their fingerprints (no hashing 100,000 keys per change), and
 * the rotation goes on where it was instead of starting over at `key_start_index` (a change
 * would otherwise send the next requests to the first keys again). Selection skips keys the
 * filter rejects (health, exclusion within a request) and costs O(1) while keys are usable.
 */
export class KeyPool {
  readonly keys: readonly UpstreamKey[];
  private cursor: number;

  constructor(
    secrets: readonly string[],
    readonly rotation: KeyRotation,
    private readonly startIndex: number,
    private readonly random: () => number,
    previous?: KeyPool,
  ) {
    const known = previous ? new Map(previous.keys.map((key) => [key.secret, key])) : undefined;
    const reused = new Map<UpstreamKey, number>();
    this.keys = secrets.map((secret, index) => {
      const same = known?.get(secret);
      if (!same) return { secret, id: fingerprint(secret), masked: maskSecret(secret), index };
      reused.set(same, index);
      return same.index === index ? same : { ...same, index };
    });
    const carried = previous?.carriedCursor(rotation, startIndex, reused);
    this.cursor = carried ?? (secrets.length > 0 ? startIndex % secrets.length : 0);
  }

  /**
   * Where the next pool's rotation goes on: the index there of the first key this pool would
   * have picked next that the next pool still has (`reused`: key here → index there).
   * Undefined when the rotation or the start index changed, or no key is left.
   */
  private carriedCursor(
    rotation: KeyRotation,
    startIndex: number,
    reused: ReadonlyMap<UpstreamKey, number>,
  ): number | undefined {
    if (rotation !== this.rotation || startIndex !== this.startIndex || reused.size === 0) return undefined;
    const count = this.keys.length;
    for (let step = 0; step < count; step++) {
      const index = reused.get(this.keys[(this.cursor + step) % count]!);
      if (index !== undefined) return index;
    }
    return undefined;
  }

  get size(): number {
    return this.keys.length;
  }

  /**
   * The next usable key. `ticket` (1, 2, … from a cursor shared by a fleet, src/state/cursor-store.ts)
   * places a round-robin rotation's start instead of this pool's own cursor.
   */
  pick(usable?: KeyFilter, ticket?: number): UpstreamKey | undefined {
    const count = this.keys.length;
    if (count === 0) return undefined;
    const start = this.startOf(count, ticket);
    for (let step = 0; step < count; step++) {
      const key = this.keys[(start + step) % count]!;
      if (usable && !usable(key)) continue;
      if (this.rotation === 'round-robin') this.cursor = (key.index + 1) % count;
      return key;
    }
    return undefined;
  }

  private startOf(count: number, ticket: number | undefined): number {
    if (this.rotation === 'random') return Math.floor(this.random() * count);
    if (ticket === undefined) return this.cursor;
    return (this.startIndex + ticket - 1) % count;
  }
}
