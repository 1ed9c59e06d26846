import { byteKey, equalBytes, hashing, randomBytes } from '../core/crypto';

/** Secrets remembered on the fast path (each is a digest and a reference, a few hundred bytes). */
const FAST_PATH_LIMIT = 100_000;

/**
 * Finds a presented secret among many without comparing it to each: a keyed hash (HMAC) is the
 * lookup key, then the stored digest is compared in constant time. Only digests are kept, never
 * the secrets. The HMAC key is per process unless given; client tokens stored in the database
 * use the persistent gateway secret (src/store/secret.ts) so they still match after a restart.
 *
 * A secret that matched once is also remembered under a cheaper per-process keyed digest
 * (one-shot SHA-256 over a random prefix and the secret, about a sixth of an HMAC's cost), so the
 * per-request check of a known client is one hash and one map lookup of a 256-bit digest; the
 * secret itself is never compared. Unknown secrets always take the HMAC path.
 */
export class KeyIndex<T> {
  private readonly hmacKey: Uint8Array;
  private readonly entries = new Map<string, { digest: Uint8Array; value: T }>();
  private readonly fastPrefix = byteKey(randomBytes(24));
  private readonly fast = new Map<string, T>();

  constructor(hmacKey: Uint8Array = randomBytes(32)) {
    this.hmacKey = hmacKey;
  }

  digest(secret: string): Uint8Array {
    return hashing().hmacSha256(this.hmacKey, secret);
  }

  set(secret: string, value: T): void {
    const digest = this.digest(secret);
    this.entries.set(byteKey(digest), { digest, value });
  }

  /** Adds an entry by a digest made earlier with the same HMAC key (a stored client token). */
  setDigest(digest: Uint8Array, value: T): void {
    this.entries.set(byteKey(digest), { digest, value });
  }

  get(secret: string): T | undefined {
    const quick = byteKey(hashing().sha256(this.fastPrefix + secret));
    const known = this.fast.get(quick);
    if (known !== undefined) return known;
    const digest = this.digest(secret);
    const entry = this.entries.get(byteKey(digest));
    if (!entry || !equalBytes(entry.digest, digest)) return undefined;
    if (this.fast.size < FAST_PATH_LIMIT) this.fast.set(quick, entry.value);
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }
}
