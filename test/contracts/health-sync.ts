import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HealthChange, HealthSync } from '../../src/state/health-sync';
import type { Driver, MakeDriver } from './driver';

const cooling: HealthChange = {
  kind: 'key',
  upstream: 'openai',
  keyId: 'd8238dfb01a4',
  status: 'cooling',
  until: 1_060_000,
  reason: 'rate limited (HTTP 429)',
};
const ejected: HealthChange = {
  kind: 'upstream',
  upstream: 'openai',
  status: 'ejected',
  until: 1_030_000,
  reason: '3 consecutive upstream faults',
};

/** Collects what a member receives; `next(n)` settles once n changes arrived in all. */
function inbox(sync: HealthSync) {
  const got: HealthChange[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  sync.subscribe((change) => {
    got.push(change);
    for (const wait of waiting.splice(0)) {
      if (got.length >= wait.count) wait.resolve();
      else waiting.push(wait);
    }
  });
  const next = (count: number) =>
    got.length >= count
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.push({ count, resolve }));
  return { got, next };
}

/**
 * What every HealthSync driver must do. `reopen` gives another member on the same medium (another
 * instance); a driver without one is checked alone: it must take and drop what it is given.
 */
export function healthSyncContract(name: string, makeDriver: MakeDriver<HealthSync>): void {
  describe(`HealthSync contract: ${name}`, () => {
    let driver: Driver<HealthSync>;
    let sync: HealthSync;
    beforeEach(async () => {
      driver = await makeDriver();
      sync = driver.store;
    });
    afterEach(() => driver.close());

    it('accepts changes with no one listening', async () => {
      await expect(sync.publish(cooling)).resolves.toBeUndefined();
      await expect(sync.publish(ejected)).resolves.toBeUndefined();
    });

    it('delivers a member’s changes to another member, in order, as sent', async (test) => {
      if (!driver.reopen) return test.skip();
      const peer = inbox(await driver.reopen());
      await sync.publish(cooling);
      await sync.publish(ejected);
      await peer.next(2);
      expect(peer.got).toEqual([cooling, ejected]);
    });

    it('never hands a member its own changes', async (test) => {
      if (!driver.reopen) return test.skip();
      const own = inbox(sync);
      const other = await driver.reopen();
      const peer = inbox(other);
      await sync.publish(cooling);
      await other.publish(ejected);
      await peer.next(1);
      await own.next(1);
      expect(own.got).toEqual([ejected]);
      expect(peer.got).toEqual([cooling]);
    });

    it('stops delivering to a listener that unsubscribed, and to a closed member', async (test) => {
      if (!driver.reopen) return test.skip();
      const other = await driver.reopen();
      const gone: HealthChange[] = [];
      const unsubscribe = other.subscribe((change) => gone.push(change));
      const kept = inbox(other);
      unsubscribe();
      await sync.publish(cooling);
      await kept.next(1);
      expect(gone).toEqual([]);
      await other.close();
      const third = inbox(await driver.reopen());
      await sync.publish(ejected);
      await third.next(1);
      expect(kept.got).toEqual([cooling]);
    });
  });
}
