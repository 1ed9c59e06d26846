import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHashing } from '../adapter/node/hashing';
import { byteKey, equalBytes, hashing, hex, useHashing } from './crypto';

// node:crypto is the independent reference for the portable implementation.
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i * 7);

describe('hashing', () => {
  const portable = hashing();
  afterEach(() => useHashing(portable));

  it('gives the same SHA-256 and HMAC as node:crypto, portable or native', () => {
    for (const port of [portable, nodeHashing]) {
      for (const input of ['', 'sk-sy-some-token', 'é😀'.repeat(50)]) {
        expect(hex(port.sha256(input))).toBe(createHash('sha256').update(input).digest('hex'));
        expect(hex(port.hmacSha256(KEY, input))).toBe(createHmac('sha256', KEY).update(input).digest('hex'));
      }
    }
  });

  it('compares bytes exactly and keys them one character per byte', () => {
    expect(equalBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(equalBytes(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(byteKey(Uint8Array.of(0, 65, 255))).toBe('\u0000A\u00ff');
  });
});
