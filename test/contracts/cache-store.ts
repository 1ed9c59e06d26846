import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheEntry, type CacheStore, entrySize } from '../../src/cache/store';
import type { Driver } from './driver';

/** A store under test with the clock it was given (moved by the test) and its size bound. */
export type MakeCacheDriver = (
  maxBytes: number,
  now: () => number,
) => Promise<Driver<CacheStore>> | Driver<CacheStore>;

function entry(body: string, expiresAt: number, extra: Partial<CacheEntry> = {}): CacheEntry {
  return {
    status: 200,
    contentType: 'application/json',
    body: new TextEncoder().encode(body),
    stream: false,
    route: 'chat',
    model: 'gpt-4o',
    tokens: 12,
    cost: 0.5,
    storedAt: 1_000,
    expiresAt,
    ...extra,
  };
}

const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

/** What every CacheStore driver must do. */
export function cacheStoreContract(name: string, make: MakeCacheDriver): void {
  describe(`CacheStore contract: ${name}`, () => {
    let driver: Driver<CacheStore>;
    let store: CacheStore;
    let now = 1_000;
    const open = async (maxBytes: number) => {
      driver = await make(maxBytes, () => now);
      store = driver.store;
    };
    beforeEach(() => {
      now = 1_000;
    });
    afterEach(() => driver.close());

    it('gives back what it stored, every field, until the entry expires by the given clock', async () => {
      await open(1 << 20);
      expect(await store.get('k')).toBeUndefined();
      await store.set(
        'k',
        entry('{"id":1}', 61_000, { stream: true, contentType: 'text/event-stream', model: null }),
      );
      now = 60_999;
      const got = await store.get('k');
      expect(text(got?.body)).toBe('{"id":1}');
      expect({ ...got, body: undefined }).toEqual({
        status: 200,
        contentType: 'text/event-stream',
        body: undefined,
        stream: true,
        route: 'chat',
        model: null,
        tokens: 12,
        cost: 0.5,
        storedAt: 1_000,
        expiresAt: 61_000,
      });
      now = 61_000;
      expect(await store.get('k')).toBeUndefined();
      expect(await store.stats()).toEqual({ entries: 0, bytes: 0, maxBytes: 1 << 20, evictions: 0 });
    });

    it('replaces an entry stored again under its key, counting its size once', async () => {
      await open(1 << 20);
      await store.set('k', entry('old', 1e12));
      await store.set('k', entry('new', 1e12));
      expect(text((await store.get('k'))?.body)).toBe('new');
      expect(await store.stats()).toEqual({
        entries: 1,
        bytes: 3 + 1 + 16 + 4 + 6 + 128,
        maxBytes: 1 << 20,
        evictions: 0,
      });
    });

    it('evicts the least recently used once the size bound is passed, and refuses one over it', async () => {
      const one = 1000 + 1 + 16 + 4 + 6 + 128;
      expect(entrySize('a', entry('x'.repeat(1000), 1e12))).toBe(one);
      await open(one * 3);
      for (const key of ['a', 'b', 'c']) {
        await store.set(key, entry('x'.repeat(1000), 1e12));
        now++;
      }
      await store.get('a');
      now++;
      await store.set('d', entry('x'.repeat(1000), 1e12));
      expect(await store.get('b')).toBeUndefined();
      for (const key of ['a', 'c', 'd']) expect(await store.get(key)).toBeDefined();
      expect(await store.stats()).toEqual({ entries: 3, bytes: one * 3, maxBytes: one * 3, evictions: 1 });
      await store.set('huge', entry('x'.repeat(one * 3), 1e12));
      expect(await store.get('huge')).toBeUndefined();
      expect((await store.stats()).entries).toBe(3);
    });

    it('evicts down to a smaller bound on resize', async () => {
      const one = 1000 + 1 + 16 + 4 + 6 + 128;
      await open(one * 3);
      for (const key of ['a', 'b', 'c']) {
        await store.set(key, entry('x'.repeat(1000), 1e12));
        now++;
      }
      store.resize(one);
      await expect.poll(async () => (await store.stats()).entries).toBe(1);
      expect(await store.get('c')).toBeDefined();
      expect(await store.stats()).toEqual({ entries: 1, bytes: one, maxBytes: one, evictions: 2 });
    });

    it('purges all, by route, by model, or by both', async () => {
      await open(1 << 20);
      await store.set('1', entry('a', 1e12, { route: 'chat', model: 'gpt-4o' }));
      await store.set('2', entry('b', 1e12, { route: 'chat', model: 'gpt-4o-mini' }));
      await store.set('3', entry('c', 1e12, { route: 'embed', model: 'gpt-4o' }));
      await store.set('4', entry('d', 1e12, { route: 'models', model: null }));
      expect(await store.purge({ route: 'chat', model: 'gpt-4o-mini' })).toBe(1);
      expect(await store.get('2')).toBeUndefined();
      expect(await store.purge({ model: 'gpt-4o' })).toBe(2);
      expect(await store.purge({ route: 'chat' })).toBe(0);
      expect(await store.purge({ route: 'models' })).toBe(1);
      await store.set('5', entry('e', 1e12));
      await store.set('6', entry('f', 1e12, { route: 'embed' }));
      expect(await store.purge()).toBe(2);
      expect(await store.stats()).toEqual({ entries: 0, bytes: 0, maxBytes: 1 << 20, evictions: 0 });
    });
  });
}
