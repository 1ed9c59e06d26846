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

describe('KeyPool across a configuration change', () => {
  const picks = (pool: KeyPool, n: number) => Array.from({ length: n }, () => pool.pick()?.secret);

  it('goes on with the rotation when the key list is the same', () => {
    const before = new KeyPool(['k0', 'k1', 'k2'], 'round-robin', 0, Math.random);
    expect(picks(before, 2)).toEqual(['k0', 'k1']);
    const after = new KeyPool(['k0', 'k1', 'k2'], 'round-robin', 0, Math.random, before);
    expect(picks(after, 3)).toEqual(['k2', 'k0', 'k1']);
  });

  it('goes on with the same key when keys were added, wherever they were added', () => {
    const before = new KeyPool(['k0', 'k1', 'k2'], 'round-robin', 0, Math.random);
    picks(before, 2);
    const appended = new KeyPool(['k0', 'k1', 'k2', 'k3'], 'round-robin', 0, Math.random, before);
    expect(picks(appended, 3)).toEqual(['k2', 'k3', 'k0']);
    const prepended = new KeyPool(['new', 'k0', 'k1', 'k2', 'k3'], 'round-robin', 0, Math.random, appended);
    expect(picks(prepended, 3)).toEqual(['k1', 'k2', 'k3']);
  });

  it('goes on with the next key still there when the next one was removed', () => {
    const before = new KeyPool(['k0', 'k1', 'k2', 'k3'], 'round-robin', 0, Math.random);
    picks(before, 1);
    const after = new KeyPool(['k0', 'k2', 'k3'], 'round-robin', 0, Math.random, before);
    expect(picks(after, 2)).toEqual(['k2', 'k3']);
  });

  it('starts over at key_start_index when the start index, the rotation or every key changed', () => {
    const before = new KeyPool(['k0', 'k1', 'k2'], 'round-robin', 0, Math.random);
    picks(before, 2);
    expect(picks(new KeyPool(['k0', 'k1', 'k2'], 'round-robin', 1, Math.random, before), 1)).toEqual(['k1']);
    const fromRandom = new KeyPool(['k0', 'k1', 'k2'], 'random', 0, () => 0);
    expect(picks(new KeyPool(['k0', 'k1', 'k2'], 'round-robin', 0, Math.random, fromRandom), 1)).toEqual([
      'k0',
    ]);
    expect(picks(new KeyPool(['x0', 'x1'], 'round-robin', 1, Math.random, before), 1)).toEqual(['x1']);
  });
});
