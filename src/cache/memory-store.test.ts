import { describe, expect, it } from 'vitest';
import { MemoryCacheStore } from './memory-store';
import { type CacheEntry, entrySize } from './store';

function entry(body: string, expiresAt: number, extra: Partial<CacheEntry> = {}): CacheEntry {
  return {
    status: 200,
    contentType: 'application/json',
    body: Buffer.from(body),
    stream: false,
    route: 'r',
    model: 'm',
    tokens: 1,
    cost: null,
    storedAt: 0,
    expiresAt,
    ...extra,
  };
}

describe('MemoryCacheStore', () => {
  it('forgets an entry at its expiry, by the clock it was given', async () => {
    let now = 1_000;
    const store = new MemoryCacheStore(1 << 20, () => now);
    await store.set('k', entry('{}', 61_000));
    now = 60_999;
    expect((await store.get('k'))?.body.toString()).toBe('{}');
    now = 61_000;
    expect(await store.get('k')).toBeUndefined();
    expect((await store.stats()).bytes).toBe(0);
  });

  it('evicts the least recently used entries once the size bound is passed', async () => {
    const one = entrySize('a', entry('x'.repeat(1000), 1e12));
    expect(one).toBe(1000 + 1 + 16 + 1 + 1 + 128);
    const store = new MemoryCacheStore(one * 3, () => 0);
    for (const key of ['a', 'b', 'c']) await store.set(key, entry('x'.repeat(1000), 1e12));
    await store.get('a'); // a is now the most recently used; b the least
    await store.set('d', entry('x'.repeat(1000), 1e12));
    expect(await store.get('b')).toBeUndefined();
    for (const key of ['a', 'c', 'd']) expect(await store.get(key)).toBeDefined();
    expect(await store.stats()).toEqual({ entries: 3, bytes: one * 3, maxBytes: one * 3, evictions: 1 });
    await store.set('huge', entry('x'.repeat(one * 3), 1e12));
    expect(await store.get('huge')).toBeUndefined();
    expect((await store.stats()).entries).toBe(3);
  });

  it('purges all, by route or by model', async () => {
    const store = new MemoryCacheStore(1 << 20, () => 0);
    await store.set('1', entry('a', 1e12, { route: 'chat', model: 'gpt-4o' }));
    await store.set('2', entry('b', 1e12, { route: 'chat', model: 'gpt-4o-mini' }));
    await store.set('3', entry('c', 1e12, { route: 'embed', model: 'gpt-4o' }));
    expect(await store.purge({ route: 'chat', model: 'gpt-4o-mini' })).toBe(1);
    expect(await store.purge({ model: 'gpt-4o' })).toBe(2);
    await store.set('4', entry('d', 1e12));
    expect(await store.purge()).toBe(1);
    expect((await store.stats()).entries).toBe(0);
  });
});
