import { describe, expect, it } from 'vitest';
import { KeyPool } from './key-pool';

describe('KeyPool', () => {
  it('rotates round robin from the start index and skips unusable keys', () => {
    const pool = new KeyPool(['k0', 'k1', 'k2'], 'round-robin', 1, Math.random);
    expect([pool.pick(), pool.pick(), pool.pick(), pool.pick()].map((k) => k?.secret)).toEqual([
      'k1',
      'k2',
      'k0',
      'k1',
    ]);
    const noK0 = (key: { secret: string }) => key.secret !== 'k0';
    expect([pool.pick(noK0), pool.pick(noK0), pool.pick(noK0)].map((k) => k?.secret)).toEqual([
      'k2',
      'k1',
      'k2',
    ]);
    expect(pool.pick(() => false)).toBeUndefined();
  });

  it('picks at random from the given source and never exposes the secret in id or mask', () => {
    const values = [0.99, 0.0, 0.5];
    let i = 0;
    const pool = new KeyPool(
      ['sk-aaaaaaaaaaaa1111', 'sk-bbbbbbbbbbbb2222', 'sk-cccccccccccc3333'],
      'random',
      0,
      () => values[i++]!,
    );
    expect([pool.pick(), pool.pick(), pool.pick()].map((k) => k?.masked)).toEqual([
      'sk-...3333',
      'sk-...1111',
      'sk-...2222',
    ]);
    expect(pool.keys[0]!.id).not.toContain('aaaa');
  });

  it('handles an empty pool', () => {
    expect(new KeyPool([], 'round-robin', 5, Math.random).pick()).toBeUndefined();
  });

  it('reuses the fingerprints of the previous pool for keys it already had', () => {
    const before = new KeyPool(['sk-old-a-000000001', 'sk-old-b-000000002'], 'round-robin', 0, Math.random);
    const after = new KeyPool(
      ['sk-new-c-000000003', 'sk-old-b-000000002', 'sk-old-a-000000001'],
      'round-robin',
      0,
      Math.random,
      before,
    );
    expect(after.keys[1]).toBe(before.keys[1]);
    expect(after.keys[2]).toEqual({ ...before.keys[0], index: 2 });
    expect(after.keys[0]!.id).toMatch(/^[0-9a-f]{12}$/);
    expect(after.keys.map((k) => k.index)).toEqual([0, 1, 2]);
  });
});
