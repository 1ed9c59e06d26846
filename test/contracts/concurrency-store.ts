import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConcurrencyStore } from '../../src/state/concurrency-store';
import type { Driver, MakeDriver } from './driver';

/** What every ConcurrencyStore driver must do. */
export function concurrencyStoreContract(name: string, makeDriver: MakeDriver<ConcurrencyStore>): void {
  describe(`ConcurrencyStore contract: ${name}`, () => {
    let driver: Driver<ConcurrencyStore>;
    let store: ConcurrencyStore;
    beforeEach(async () => {
      driver = await makeDriver();
      store = driver.store;
    });
    afterEach(() => driver.close());

    it('counts up to the limit and refuses beyond it, without counting the refusal', async () => {
      expect(await store.acquire('client:alice', 2)).toBe(true);
      expect(await store.acquire('client:alice', 2)).toBe(true);
      expect(await store.acquire('client:alice', 2)).toBe(false);
      expect(await store.count('client:alice')).toBe(2);
    });

    it('frees a place on release', async () => {
      await store.acquire('client:alice', 1);
      expect(await store.acquire('client:alice', 1)).toBe(false);
      await store.release('client:alice');
      expect(await store.count('client:alice')).toBe(0);
      expect(await store.acquire('client:alice', 1)).toBe(true);
    });

    it('keeps names apart, clients and upstream keys alike', async () => {
      await store.acquire('client:alice', 1);
      expect(await store.acquire('client:bob', 1)).toBe(true);
      expect(await store.acquire('key:openai:k1', 1)).toBe(true);
      expect(await store.count('client:alice')).toBe(1);
      expect(await store.count('client:carol')).toBe(0);
    });

    it('never counts below zero', async () => {
      await store.release('client:alice');
      await store.release('client:alice');
      expect(await store.count('client:alice')).toBe(0);
      expect(await store.acquire('client:alice', 1)).toBe(true);
      expect(await store.acquire('client:alice', 1)).toBe(false);
    });

    it('lets exactly the limit through when acquires race', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.acquire('client:alice', 3)));
      expect(results.filter(Boolean).length).toBe(3);
      expect(await store.count('client:alice')).toBe(3);
    });
  });
}
