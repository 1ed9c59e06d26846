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
 * keys the previous pool had keep their fingerprints (no hashing 100,000 keys per change). Selection skips keys the filter rejects
 * (health, exclusion within a request) and costs O(1) while keys are usable.
 */
export class KeyPool {
  readonly keys: readonly UpstreamKey[];
  private cursor: number;

  constructor(
    secrets: readonly string[],
    private readonly rotation: KeyRotation,
    startIndex: number,
    private readonly random: () => number,
    previous?: KeyPool,
  ) {
    const known = previous ? new Map(previous.keys.map((key) => [key.secret, key])) : undefined;
    this.keys = secrets.map((secret, index) => {
      const same = known?.get(secret);
      if (same) return same.index === index ? same : { ...same, index };
      return { secret, id: fingerprint(secret), masked: maskSecret(secret), index };
    });
    this.cursor = secrets.length > 0 ? startIndex % secrets.length : 0;
  }

  get size(): number {
    return this.keys.length;
  }

  pick(usable?: KeyFilter): UpstreamKey | undefined {
    const count = this.keys.length;
    if (count === 0) return undefined;
    const start = this.rotation === 'random' ? Math.floor(this.random() * count) : this.cursor;
    for (let step = 0; step < count; step++) {
      const key = this.keys[(start + step) % count]!;
      if (usable && !usable(key)) continue;
      if (this.rotation === 'round-robin') this.cursor = (key.index + 1) % count;
      return key;
    }
    return undefined;
  }
}
