import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  HealthChange,
  HealthSync,
  KeyHealthChange,
  UpstreamHealthChange,
} from '../../src/state/health-sync';
import type { Driver, MakeDriver } from './driver';

const cooling: KeyHealthChange = {
  kind: 'key',
  upstream: 'openai',
  keyId: 'd8238dfb01a4',
  status: 'cooling',
  until: 1_060_000,
  reason: 'rate limited (HTTP 429)',
};
const ejected: UpstreamHealthChange = {
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

    it('hands a member that joins later the states still in force, and no ended or expired one', async (test) => {
      if (!driver.reopen) return test.skip();
      const later = Date.now() + 600_000;
      const cool = { ...cooling, until: later };
      const disabled: KeyHealthChange = { ...cooling, keyId: 'k2', status: 'disabled', until: 0 };
      const back: KeyHealthChange = { ...cooling, keyId: 'k3', until: later };
      const probeDown: HealthChange = {
        kind: 'upstream',
        upstream: 'b',
        status: 'probe-down',
        until: 0,
        reason: 'x',
      };
      await sync.publish(cool);
      await sync.publish(disabled);
      await sync.publish(back);
      await sync.publish({ ...back, status: 'active', until: 0 });
      await sync.publish({ ...ejected, until: Date.now() - 1 });
      await sync.publish(probeDown);
      const joined = inbox(await driver.reopen());
      await joined.next(3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const byKind = (c: HealthChange) => (c.kind === 'key' ? c.keyId : c.upstream);
      expect(joined.got.map(byKind).sort()).toEqual(['b', 'd8238dfb01a4', 'k2']);
      expect(joined.got).toContainEqual(cool);
    });

    it('keeps only the last state of a key', async (test) => {
      if (!driver.reopen) return test.skip();
      const later = Date.now() + 600_000;
      await sync.publish({ ...cooling, until: later });
      await sync.publish({ ...cooling, until: later + 1, reason: 'quota exhausted' });
      const joined = inbox(await driver.reopen());
      await joined.next(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(joined.got).toEqual([{ ...cooling, until: later + 1, reason: 'quota exhausted' }]);
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
