import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Finds a presented secret among many without comparing it to each: a keyed hash (HMAC) is the
 * lookup key, then the stored digest is compared in constant time. Only digests are kept, never
 * the secrets. The HMAC key is per process unless given; client tokens stored in the database
 * use the persistent gateway secret (src/store/secret.ts) so they still match after a restart.
 */
export class KeyIndex<T> {
  private readonly hmacKey: Buffer;
  private readonly entries = new Map<string, { digest: Buffer; value: T }>();

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
  setDigest(digest: Buffer, value: T): void {
    this.entries.set(digest.toString('base64'), { digest, value });
  }

  get(secret: string): T | undefined {
    const digest = this.digest(secret);
    const entry = this.entries.get(digest.toString('base64'));
    if (!entry || !timingSafeEqual(entry.digest, digest)) return undefined;
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
