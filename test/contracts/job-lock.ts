import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobLock } from '../../src/state/job-lock';
import type { Driver, MakeDriver } from './driver';

/** What every JobLock driver must do; `reopen` gives another instance on the same state. */
export function jobLockContract(name: string, makeDriver: MakeDriver<JobLock>): void {
  describe(`JobLock contract: ${name}`, () => {
    let driver: Driver<JobLock>;
    let lock: JobLock;
    beforeEach(async () => {
      driver = await makeDriver();
      lock = driver.store;
    });
    afterEach(() => driver.close());

    it('gives a free job to its first claimant, again and again', async () => {
      expect(await lock.claim('keepalive:a', 60_000)).toBe(true);
      expect(await lock.claim('keepalive:a', 60_000)).toBe(true);
      expect(await lock.claim('check:a', 60_000)).toBe(true);
    });

    it('refuses a held job to another instance, and hands another job to it', async () => {
      const other = await driver.reopen!();
      expect(await lock.claim('keepalive:a', 60_000)).toBe(true);
      expect(await other.claim('keepalive:a', 60_000)).toBe(false);
      expect(await other.claim('keepalive:b', 60_000)).toBe(true);
      expect(await lock.claim('keepalive:b', 60_000)).toBe(false);
    });

    it('lets one of several concurrent claimants win', async () => {
      const others = [await driver.reopen!(), await driver.reopen!()];
      const won = await Promise.all([lock, ...others].map((l) => l.claim('check:x', 60_000)));
      expect(won.filter(Boolean)).toEqual([true]);
    });

    it('hands a job over once its holder stops renewing it', async () => {
      const other = await driver.reopen!();
      expect(await lock.claim('keepalive:c', 30)).toBe(true);
      expect(await other.claim('keepalive:c', 30)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(await other.claim('keepalive:c', 30)).toBe(true);
      expect(await lock.claim('keepalive:c', 30)).toBe(false);
    });

    it('hands a job over at once when its holder lets go', async () => {
      const other = await driver.reopen!();
      expect(await lock.claim('keepalive:d', 60_000)).toBe(true);
      await lock.releaseAll();
      expect(await other.claim('keepalive:d', 60_000)).toBe(true);
    });
  });
}
