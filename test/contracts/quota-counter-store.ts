import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuotaCounterStore } from '../../src/state/quota-counter-store';
import type { Driver, MakeDriver } from './driver';

const MARCH = Date.UTC(2026, 2, 1);
const APRIL = Date.UTC(2026, 3, 1);

/** What every QuotaCounterStore driver must do. */
export function quotaCounterStoreContract(name: string, makeDriver: MakeDriver<QuotaCounterStore>): void {
  describe(`QuotaCounterStore contract: ${name}`, () => {
    let driver: Driver<QuotaCounterStore>;
    let store: QuotaCounterStore;
    beforeEach(async () => {
      driver = await makeDriver();
      store = driver.store;
    });
    afterEach(() => driver.close());

    it('knows no counter until it is seeded, and seeds once', async () => {
      expect(await store.read('tokens\0alice', MARCH)).toBeUndefined();
      await store.seed('tokens\0alice', MARCH, 900);
      await store.seed('tokens\0alice', MARCH, 5);
      expect(await store.read('tokens\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 900,
        reserved: 0,
        holds: 0,
      });
    });

    it('reserves for a request alone even past the limit, and refuses once the limit is reached', async () => {
      await store.seed('tokens\0alice', MARCH, 900);
      expect(await store.reserve('tokens\0alice', MARCH, 1000, 150)).toBe('reserved');
      expect(await store.reserve('tokens\0alice', MARCH, 1000, 10)).toBe('spent');
      expect(await store.read('tokens\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 900,
        reserved: 150,
        holds: 1,
      });
    });

    it('refuses what does not fit in the rest while others hold reservations', async () => {
      await store.seed('tokens\0alice', MARCH, 0);
      expect(await store.reserve('tokens\0alice', MARCH, 300, 200)).toBe('reserved');
      expect(await store.reserve('tokens\0alice', MARCH, 300, 101)).toBe('no_room');
      expect(await store.reserve('tokens\0alice', MARCH, 300, 100)).toBe('reserved');
      await store.settle('tokens\0alice', MARCH, 200, 10);
      expect(await store.read('tokens\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 10,
        reserved: 100,
        holds: 1,
      });
      await store.settle('tokens\0alice', MARCH, 100, 5);
      expect(await store.read('tokens\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 15,
        reserved: 0,
        holds: 0,
      });
    });

    it('refuses to reserve on a counter never seeded', async () => {
      expect(await store.reserve('tokens\0bob', MARCH, 1000, 1)).toBe('unseeded');
      expect(await store.read('tokens\0bob', MARCH)).toBeUndefined();
    });

    it('settles: releases the hold, never below zero, and charges the use', async () => {
      await store.seed('cost\0alice', MARCH, 4.5);
      await store.reserve('cost\0alice', MARCH, 5, 0.25);
      await store.settle('cost\0alice', MARCH, 0.25, 0.125);
      expect(await store.read('cost\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 4.625,
        reserved: 0,
        holds: 0,
      });
      await store.settle('cost\0alice', MARCH, 1, 0);
      expect(await store.read('cost\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 4.625,
        reserved: 0,
        holds: 0,
      });
      await store.settle('cost\0alice', MARCH, undefined, 0.5);
      expect(await store.read('cost\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 5.125,
        reserved: 0,
        holds: 0,
      });
    });

    it('starts a new period at zero used and keeps what is still reserved', async () => {
      await store.seed('tokens\0alice', MARCH, 990);
      await store.reserve('tokens\0alice', MARCH, 1000, 5);
      expect(await store.reserve('tokens\0alice', APRIL, 1000, 7)).toBe('reserved');
      expect(await store.read('tokens\0alice', APRIL)).toEqual({
        start: APRIL,
        used: 0,
        reserved: 12,
        holds: 2,
      });
      await store.settle('tokens\0alice', APRIL, 5, 3);
      expect(await store.read('tokens\0alice', APRIL)).toEqual({
        start: APRIL,
        used: 3,
        reserved: 7,
        holds: 1,
      });
    });

    it('keeps counters apart by name', async () => {
      await store.seed('tokens\0alice', MARCH, 10);
      await store.seed('cost\0alice', MARCH, 1);
      await store.reserve('tokens\0alice', MARCH, 100, 20);
      expect(await store.read('cost\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 1,
        reserved: 0,
        holds: 0,
      });
    });

    it('lets racing reserves through only while they fit', async () => {
      await store.seed('tokens\0alice', MARCH, 0);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.reserve('tokens\0alice', MARCH, 100, 40)),
      );
      // Racing calls have no order across a network: which two win is the driver's, how many is not.
      expect([...results].sort()).toEqual([
        'no_room',
        'no_room',
        'no_room',
        'no_room',
        'reserved',
        'reserved',
      ]);
      expect(await store.read('tokens\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 0,
        reserved: 80,
        holds: 2,
      });
    });

    it('shares its counters with the next store opened on the same state', async (test) => {
      if (!driver.reopen) return test.skip();
      await store.seed('tokens\0alice', MARCH, 50);
      const other = await driver.reopen();
      expect(await other.reserve('tokens\0alice', MARCH, 100, 30)).toBe('reserved');
      expect(await store.read('tokens\0alice', MARCH)).toEqual({
        start: MARCH,
        used: 50,
        reserved: 30,
        holds: 1,
      });
    });
  });
}
