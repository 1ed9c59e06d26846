import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_ENV = 'SWITCHYARD_SECRET';
export const SECRET_KEY_FILE = 'secret.key';

/**
 * Encrypts secrets for the store with AES-256-GCM: a random 96-bit IV per value, the 128-bit
 * tag checked on decryption. The encryption key is derived from the 256-bit master key with
 * HKDF, so the master key can later derive other keys without reuse.
 */
export class SecretBox {
  private readonly encryptionKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
    this.encryptionKey = derive(masterKey, 'switchyard/encrypt');
  }

  /** version (1 byte) ‖ IV (12) ‖ tag (16) ‖ ciphertext */
  encrypt(plaintext: string): Buffer {
    return this.seal(plaintext, randomBytes(IV_BYTES));
  }

  private seal(plaintext: string, iv: Buffer): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
  }

  /** Seals many values, with one call for all their random IVs (bulk imports). */
  encryptMany(plaintexts: readonly string[]): Buffer[] {
    const ivs = randomBytes(IV_BYTES * plaintexts.length);
    return plaintexts.map((text, i) => this.seal(text, ivs.subarray(i * IV_BYTES, (i + 1) * IV_BYTES)));
  }

  /** Throws when the value was not made with this key or was altered. */
  decrypt(sealed: Buffer): string {
    if (sealed[0] !== VERSION) throw new Error(`unknown secret format ${sealed[0]}`);
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv);
    decipher.setAuthTag(tag);
    const body = sealed.subarray(1 + IV_BYTES + TAG_BYTES);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
}

export interface MasterKey {
  readonly key: Buffer;
  /** Where it came from, for the startup log: the variable, the file, or "ephemeral". */
  readonly origin: string;
}

/**
 * The gateway secret the store's keys are derived from: `SWITCHYARD_SECRET` (any string, hashed
 * to 32 bytes) when set, else the file `secret.key` beside the store (32 random bytes as hex,
 * made on first start with mode 0600). An in-memory store gets an ephemeral key. The same
 * secret, file and format serve client-token hashing, so one secret is all there is to back up.
 */
export function loadMasterKey(
  env: Readonly<Record<string, string | undefined>>,
  storePath: string,
): MasterKey {
  const given = env[SECRET_ENV];
  if (given) return { key: createHash('sha256').update(given).digest(), origin: SECRET_ENV };
  if (storePath === ':memory:') return { key: randomBytes(32), origin: 'ephemeral (in-memory store)' };
  const file = join(dirname(storePath), SECRET_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return { key: parseKeyFile(readFileSync(file, 'utf8'), file), origin: file };
}

function parseKeyFile(text: string, file: string): Buffer {
  const trimmed = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    throw new Error(`${file}: the secret must be 64 hex digits (32 bytes)`);
  }
  return Buffer.from(trimmed, 'hex');
}
