import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index';

describe('KeyIndex', () => {
  it('finds secrets by keyed digest, the second time on the fast path, and never an unknown one', () => {
    const key = randomBytes(32);
    const index = new KeyIndex<string>(key);
    index.set('sk-alpha-000000000001', 'alpha');
    const stored = new KeyIndex<string>(key).digest('sk-stored-0000000002');
    index.setDigest(stored, 'stored');
    for (let round = 0; round < 2; round++) {
      expect(index.get('sk-alpha-000000000001')).toBe('alpha');
      expect(index.get('sk-stored-0000000002')).toBe('stored');
      expect(index.get('sk-alpha-000000000002')).toBeUndefined();
      expect(index.get('')).toBeUndefined();
    }
  });

  it('keeps digests only: the secret is not among its fields', () => {
    const index = new KeyIndex<string>();
    index.set('sk-never-kept-in-memory-01', 'x');
    index.get('sk-never-kept-in-memory-01');
    expect(
      JSON.stringify([...Object.values(index)].map((v) => (v instanceof Map ? [...v.keys()] : v))),
    ).not.toContain('sk-never-kept-in-memory-01');
  });
});
