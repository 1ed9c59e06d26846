import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CursorStore, RotationMember } from '../../src/state/cursor-store';
import { memberAt } from '../../src/state/rotation';
import type { Driver, MakeDriver } from './driver';

async function turns(
  store: CursorStore,
  rotation: string,
  members: RotationMember[],
  n: number,
  smooth = false,
) {
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    out.push((await store.turn(rotation, members, smooth ? 'smooth' : 'blocks')).index);
  return out;
}

/** What every CursorStore driver must do. */
export function cursorStoreContract(name: string, makeDriver: MakeDriver<CursorStore>): void {
  describe(`CursorStore contract: ${name}`, () => {
    let driver: Driver<CursorStore>;
    let store: CursorStore;
    beforeEach(async () => {
      driver = await makeDriver();
      store = driver.store;
    });
    afterEach(() => driver.close());

    it('rotates over equal members in order, starting at the first', async () => {
      const members = [{ weight: 1 }, { weight: 1 }, { weight: 1 }];
      expect(await turns(store, 'route:a', members, 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
      expect(await store.peek('route:a')).toBe(7);
      expect(await store.peek('route:other')).toBe(0);
    });

    it('gives a member of weight w w turns in a row in blocks mode', async () => {
      expect(await turns(store, 'route:b', [{ weight: 3 }, { weight: 1 }], 8)).toEqual([
        0, 0, 0, 1, 0, 0, 0, 1,
      ]);
    });

    it('interleaves weights in smooth mode as nginx does (5:1:1 → a a b a c a a)', async () => {
      const members = [{ weight: 5 }, { weight: 1 }, { weight: 1 }];
      expect(await turns(store, 'route:c', members, 7, true)).toEqual([0, 0, 1, 0, 2, 0, 0]);
    });

    it('reduces weights by their common divisor (20:10 turns like 2:1)', async () => {
      expect(await turns(store, 'route:d', [{ weight: 20 }, { weight: 10 }], 6)).toEqual([0, 0, 1, 0, 0, 1]);
    });

    it('advances only the selected member’s key cursor', async () => {
      const members = [{ weight: 1, keys: 'keys:x' }, { weight: 1 }, { weight: 1, keys: 'keys:z' }];
      const seen = [];
      for (let i = 0; i < 6; i++) seen.push(await store.turn('route:e', members, 'blocks'));
      expect(seen).toEqual([
        { index: 0, keyTicket: 1 },
        { index: 1, keyTicket: undefined },
        { index: 2, keyTicket: 1 },
        { index: 0, keyTicket: 2 },
        { index: 1, keyTicket: undefined },
        { index: 2, keyTicket: 2 },
      ]);
      expect(await store.peek('keys:x')).toBe(2);
    });

    it('shares one key cursor between rotations that name it', async () => {
      const one = [{ weight: 1, keys: 'keys:shared' }];
      expect((await store.turn('route:f', one, 'blocks')).keyTicket).toBe(1);
      expect((await store.turn('route:g', one, 'blocks')).keyTicket).toBe(2);
    });

    it('agrees with memberAt for uneven weights, both modes', async () => {
      const weights = [7, 3, 2, 1];
      const members = weights.map((weight) => ({ weight }));
      for (const smooth of [false, true]) {
        const expected = Array.from({ length: 26 }, (_, i) =>
          memberAt(i + 1, weights, smooth ? 'smooth' : 'blocks'),
        );
        expect(await turns(store, `route:h${smooth}`, members, 26, smooth)).toEqual(expected);
      }
      expect(memberAt(1, weights, 'smooth')).toBe(0);
    });

    it('keeps the count exact under concurrent turns', async () => {
      const members = [{ weight: 1 }, { weight: 1 }, { weight: 1 }];
      const all = await Promise.all(
        Array.from({ length: 30 }, () => store.turn('route:i', members, 'blocks')),
      );
      const counts = [0, 0, 0];
      for (const t of all) counts[t.index]!++;
      expect(counts).toEqual([10, 10, 10]);
    });

    it('shares the cursor with another store on the same state', async () => {
      if (!driver.reopen) return;
      const other = await driver.reopen();
      const members = [{ weight: 1 }, { weight: 1 }];
      expect((await store.turn('route:j', members, 'blocks')).index).toBe(0);
      expect((await other.turn('route:j', members, 'blocks')).index).toBe(1);
      expect(await other.peek('route:j')).toBe(2);
    });
  });
}
