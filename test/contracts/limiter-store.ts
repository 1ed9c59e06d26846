import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LimiterStore, LimitRule } from '../../src/state/limiter-store';
import type { Driver, MakeDriver } from './driver';

const T0 = 1_000_000;
const rpm3: LimitRule = { algorithm: 'gcra', limit: 3, periodMs: 60_000 };
const window2: LimitRule = { algorithm: 'sliding-window', limit: 2, periodMs: 60_000 };

/** What every LimiterStore driver must do, whatever keeps its state. */
export function limiterStoreContract(name: string, makeDriver: MakeDriver<LimiterStore>): void {
  describe(`LimiterStore contract: ${name}`, () => {
    let driver: Driver<LimiterStore>;
    let store: LimiterStore;
    beforeEach(async () => {
      driver = await makeDriver();
      store = driver.store;
    });
    afterEach(() => driver.close());

    it('lets a GCRA allowance through at once, then one unit per interval', async () => {
      for (let i = 0; i < 3; i++) expect((await store.take('a', rpm3, 1, T0)).allowed).toBe(true);
      expect(await store.take('a', rpm3, 1, T0)).toEqual({
        allowed: false,
        limit: 3,
        remaining: 0,
        resetMs: 60_000,
        retryAfterMs: 20_000,
        ticket: 0,
      });
      expect((await store.take('a', rpm3, 1, T0 + 19_999)).allowed).toBe(false);
      expect(await store.take('a', rpm3, 1, T0 + 20_000)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('keeps keys apart', async () => {
      await store.take('a', rpm3, 3, T0);
      expect((await store.take('a', rpm3, 1, T0)).allowed).toBe(false);
      expect(await store.take('b', rpm3, 1, T0)).toMatchObject({ allowed: true, remaining: 2 });
    });

    it('peeks without taking', async () => {
      expect(await store.peek('a', rpm3, T0)).toMatchObject({ allowed: true, remaining: 3, resetMs: 0 });
      await store.take('a', rpm3, 2, T0);
      expect(await store.peek('a', rpm3, T0)).toMatchObject({ remaining: 1, resetMs: 40_000 });
      expect(await store.peek('a', rpm3, T0)).toMatchObject({ remaining: 1 });
    });

    it('adjusts a GCRA take by its ticket both ways', async () => {
      const tpm: LimitRule = { algorithm: 'gcra', limit: 1000, periodMs: 60_000 };
      const taken = await store.take('t', tpm, 800, T0);
      await store.adjust('t', tpm, taken.ticket, -500, T0);
      expect((await store.peek('t', tpm, T0)).remaining).toBe(700);
      await store.adjust('t', tpm, taken.ticket, 600, T0);
      expect((await store.peek('t', tpm, T0)).remaining).toBe(100);
    });

    it('slides a window: a take frees up one period after it was made', async () => {
      expect((await store.take('w', window2, 1, T0)).allowed).toBe(true);
      expect((await store.take('w', window2, 1, T0 + 10_000)).allowed).toBe(true);
      expect(await store.take('w', window2, 1, T0 + 20_000)).toMatchObject({
        allowed: false,
        retryAfterMs: 40_000,
      });
      expect((await store.take('w', window2, 1, T0 + 60_000)).allowed).toBe(true);
      expect((await store.take('w', window2, 1, T0 + 60_000)).allowed).toBe(false);
    });

    it('gives back what a window ticket took beyond its use', async () => {
      const tpm: LimitRule = { algorithm: 'sliding-window', limit: 100, periodMs: 60_000 };
      const taken = await store.take('w', tpm, 90, T0);
      await store.adjust('w', tpm, taken.ticket, -80, T0);
      expect((await store.peek('w', tpm, T0)).remaining).toBe(90);
    });

    it('blocks a key for blockMs once it goes over, then lets it in again', async () => {
      const perIp: LimitRule = { ...window2, blockMs: 300_000 };
      await store.take('ip', perIp, 1, T0);
      await store.take('ip', perIp, 1, T0 + 1);
      expect(await store.take('ip', perIp, 1, T0 + 2)).toMatchObject({
        allowed: false,
        retryAfterMs: 300_000,
      });
      expect(await store.peek('ip', perIp, T0 + 200_002)).toMatchObject({
        allowed: false,
        retryAfterMs: 100_000,
      });
      expect((await store.take('ip', perIp, 1, T0 + 300_002)).allowed).toBe(true);
    });

    it('takes nothing when it refuses', async () => {
      await store.take('a', rpm3, 3, T0);
      expect((await store.take('a', rpm3, 1, T0)).allowed).toBe(false);
      expect((await store.take('a', rpm3, 1, T0)).allowed).toBe(false);
      expect((await store.take('a', rpm3, 1, T0 + 20_000)).allowed).toBe(true);
    });

    it('decides concurrent takes one at a time: no more than the allowance gets through', async () => {
      const decisions = await Promise.all(Array.from({ length: 10 }, () => store.take('c', rpm3, 1, T0)));
      expect(decisions.filter((d) => d.allowed).length).toBe(3);
    });
  });
}
