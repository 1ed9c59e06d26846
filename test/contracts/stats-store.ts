import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatsStore } from '../../src/state/stats-store';
import type { Driver, MakeDriver } from './driver';

const ttl = () => 60_000;

/** What every StatsStore driver must do; `reopen` gives another instance on the same state. */
export function statsStoreContract(name: string, makeDriver: MakeDriver<StatsStore>): void {
  describe(`StatsStore contract: ${name}`, () => {
    let driver: Driver<StatsStore>;
    let store: StatsStore;
    beforeEach(async () => {
      driver = await makeDriver();
      store = driver.store;
    });
    afterEach(() => driver.close());

    it('adds amounts per bucket and field, and reads them back in the order asked', async () => {
      await store.add(
        new Map([
          [
            'minute:0',
            new Map([
              ['a', 2],
              ['b', 1],
            ]),
          ],
        ]),
        ttl,
      );
      await store.add(
        new Map([
          ['minute:0', new Map([['a', 3]])],
          ['minute:10000', new Map([['a', 1]])],
        ]),
        ttl,
      );
      const [later, first, none] = await store.read(['minute:10000', 'minute:0', 'minute:20000']);
      expect(Object.fromEntries(first!)).toEqual({ a: 5, b: 1 });
      expect(Object.fromEntries(later!)).toEqual({ a: 1 });
      expect(none!.size).toBe(0);
    });

    it('sums what several instances add', async () => {
      const other = await driver.reopen!();
      await Promise.all([
        store.add(new Map([['hour:0', new Map([['r', 4]])]]), ttl),
        other.add(
          new Map([
            [
              'hour:0',
              new Map([
                ['r', 6],
                ['x', 1],
              ]),
            ],
          ]),
          ttl,
        ),
      ]);
      const [sums] = await other.read(['hour:0']);
      expect(Object.fromEntries(sums!)).toEqual({ r: 10, x: 1 });
    });

    it('forgets a bucket once its time is up', async () => {
      await store.add(new Map([['minute:0', new Map([['a', 1]])]]), () => 30);
      await new Promise((resolve) => setTimeout(resolve, 60));
      const [gone] = await store.read(['minute:0']);
      expect(gone!.size).toBe(0);
    });
  });
}
