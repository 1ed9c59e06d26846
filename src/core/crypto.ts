import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../http/bytes';

/**
 * The hashing the core needs, synchronous and runtime-neutral. The default is portable
 * (@noble/hashes and Web Crypto's random values, docs/decisions.md); the Node adapter installs
 * node:crypto's native versions at start, which are faster for the per-request key lookup.
 */
export interface CryptoPort {
  sha256(data: Uint8Array | string): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array | string): Uint8Array;
}

const portable: CryptoPort = {
  sha256: (data) => sha256(typeof data === 'string' ? utf8(data) : data),
  hmacSha256: (key, data) => hmac(sha256, key, typeof data === 'string' ? utf8(data) : data),
};

let current: CryptoPort = portable;

/** The hashing in use. */
export function hashing(): CryptoPort {
  return current;
}

/** Replaces the hashing (the Node adapter's native one); the results must be the same. */
export function useHashing(port: CryptoPort): void {
  current = port;
}

/** Cryptographically random bytes (Web Crypto, present on every runtime the gateway supports). */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** Compares two byte arrays in time that depends only on their length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Lower-case hex of bytes. */
export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Bytes as a string with one character per byte: a cheap, exact map key for a digest. */
export function byteKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}
