import { describe, expect, it } from 'vitest';
import { base64url, byteLength, concat, lastIndexOf, text, utf8 } from './bytes';

// Node's Buffer is the independent reference for every expectation here.
const SAMPLES = [
  '',
  '\ufeff{"bom":1}',
  'a',
  'héllo',
  '日本語',
  '😀 emoji',
  'lone \ud800 high',
  'lone \udc00 low',
  'end \ud83d',
];

describe('bytes', () => {
  it('measures and encodes UTF-8 as Buffer does', () => {
    for (const sample of SAMPLES) {
      expect(byteLength(sample)).toBe(Buffer.byteLength(sample));
      expect(Buffer.from(utf8(sample)).equals(Buffer.from(sample))).toBe(true);
      expect(text(Buffer.from(sample))).toBe(Buffer.from(sample).toString('utf8'));
    }
  });

  it('writes base64url as Buffer does', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('finds the last occurrence of a byte sequence', () => {
    const hay = utf8('{"usage":1,"x":{"usage":2}}');
    expect(lastIndexOf(hay, utf8('"usage"'))).toBe(Buffer.from(hay).lastIndexOf('"usage"'));
    expect(lastIndexOf(hay, utf8('"nope"'))).toBe(-1);
    expect(lastIndexOf(utf8('ab'), utf8('abc'))).toBe(-1);
    expect(lastIndexOf(utf8('aaa'), utf8('aa'))).toBe(1);
  });

  it('concatenates chunks', () => {
    expect(text(concat([utf8('ab'), utf8('c'), utf8('')]))).toBe('abc');
  });
});
