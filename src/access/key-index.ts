import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

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
  private readonly hmacKey: Buffer;
  private readonly entries = new Map<string, { digest: Buffer; value: T }>();
  private readonly fastPrefix = randomBytes(24).toString('base64');
  private readonly fast = new Map<string, T>();

  constructor(hmacKey: Buffer = randomBytes(32)) {
    this.hmacKey = hmacKey;
  }

  digest(secret: string): Buffer {
    return createHmac('sha256', this.hmacKey).update(secret).digest();
  }

  set(secret: string, value: T): void {
    const digest = this.digest(secret);
    this.entries.set(digest.toString('base64'), { digest, value });
  }

  /** Adds an entry by a digest made earlier with the same HMAC key (a stored client token). */
  setDigest(digest: Uint8Array, value: T): void {
    const bytes = Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength);
    this.entries.set(bytes.toString('base64'), { digest: bytes, value });
  }

  get(secret: string): T | undefined {
    const quick = hash('sha256', this.fastPrefix + secret, 'base64');
    const known = this.fast.get(quick);
    if (known !== undefined) return known;
    const digest = this.digest(secret);
    const entry = this.entries.get(digest.toString('base64'));
    if (!entry || !timingSafeEqual(entry.digest, digest)) return undefined;
    if (this.fast.size < FAST_PATH_LIMIT) this.fast.set(quick, entry.value);
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The bearer credential a client presented: `Authorization: Bearer`, `x-api-key` or `api-key`. */
export function presentedCredential(
  authorization: string | undefined,
  xApiKey: string | undefined,
  apiKey: string | undefined,
): string | undefined {
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    return match ? match[1]!.trim() : undefined;
  }
  return xApiKey ?? apiKey;
}
