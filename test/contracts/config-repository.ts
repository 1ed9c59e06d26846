import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigRepository } from '../../src/store/types';
import type { Driver, MakeDriver } from './driver';

const K1 = 'sk-aaaaaaaaaaaaaaaa1';
const K2 = 'sk-aaaaaaaaaaaaaaaa2';
/** The key id: sha256(K1), first 12 hex digits (from `printf %s K1 | sha256sum`). */
const K1_ID = 'd8238dfb01a4';

/**
 * What every ConfigRepository driver must do. The drivers are made with a clock that starts at
 * 1000 and moves by 1 each time it is read.
 */
export function configRepositoryContract(name: string, makeDriver: MakeDriver<ConfigRepository>): void {
  describe(`ConfigRepository contract: ${name}`, () => {
    let driver: Driver<ConfigRepository>;
    let store: ConfigRepository;
    beforeEach(async () => {
      driver = await makeDriver();
      store = driver.store;
    });
    afterEach(() => driver.close());

    it('creates an upstream, then replaces its definition and keeps its keys and creation time', async () => {
      await store.putUpstream('a', { url: 'http://a.example' });
      await store.addKeys('a', [K1]);
      await store.putUpstream('a', { url: 'http://b.example' });
      expect(store.upstream('a')).toMatchObject({
        name: 'a',
        definition: { url: 'http://b.example' },
        createdAt: 1000,
        updatedAt: 1002,
      });
      expect(store.upstream('a')!.keys.map((k) => k.secret)).toEqual([K1]);
      expect(store.upstreams().map((u) => u.name)).toEqual(['a']);
      expect(store.upstream('b')).toBeUndefined();
    });

    it('adds keys once each, in order, with an id, enabled', async () => {
      await store.putUpstream('a', {});
      expect(await store.addKeys('a', [K1, K2, K1])).toEqual({ added: 2, duplicates: 1 });
      expect(await store.addKeys('a', [K2])).toEqual({ added: 0, duplicates: 1 });
      expect(store.upstream('a')!.keys[0]).toEqual({ id: K1_ID, secret: K1, enabled: true, addedAt: 1001 });
      expect(store.newKeys('a', [K1, 'sk-new-000000000000', 'sk-new-000000000000'])).toEqual({
        fresh: ['sk-new-000000000000'],
        duplicates: 2,
      });
    });

    it('refuses keys for an upstream it does not have', async () => {
      await expect(store.addKeys('nobody', [K1])).rejects.toThrow(/no stored upstream "nobody"/);
    });

    it('enables, disables and deletes keys by id', async () => {
      await store.putUpstream('a', {});
      await store.addKeys('a', [K1, K2]);
      expect(await store.setKeyEnabled('a', K1_ID, false)).toBe(1);
      expect(await store.setKeyEnabled('a', K1_ID, false)).toBe(0);
      expect(store.upstream('a')!.keys.map((k) => k.enabled)).toEqual([false, true]);
      expect(await store.deleteKey('a', K1_ID)).toBe(1);
      expect(store.upstream('a')!.keys.map((k) => k.secret)).toEqual([K2]);
      expect(store.newKeys('a', [K1]).fresh).toEqual([K1]);
    });

    it('deletes an upstream with its keys', async () => {
      await store.putUpstream('a', {});
      await store.addKeys('a', [K1]);
      expect(await store.deleteUpstream('a')).toBe(true);
      expect(await store.deleteUpstream('a')).toBe(false);
      expect(store.upstreams()).toEqual([]);
      await store.putUpstream('a', {});
      expect(store.upstream('a')!.keys).toEqual([]);
    });

    it('keeps routes in the order they were made; a replaced route keeps its place', async () => {
      await store.putRoute('r1', { upstreams: ['a'] });
      await store.putRoute('r2', { upstreams: ['a'] });
      await store.putRoute('r1', { upstreams: ['b'] });
      expect(store.routes().map((r) => [r.name, r.position])).toEqual([
        ['r1', 1],
        ['r2', 2],
      ]);
      expect(store.route('r1')).toMatchObject({ definition: { upstreams: ['b'] }, createdAt: 1000 });
      expect(await store.deleteRoute('r1')).toBe(true);
      expect(await store.deleteRoute('r1')).toBe(false);
      await store.putRoute('r3', {});
      expect(store.routes().map((r) => [r.name, r.position])).toEqual([
        ['r2', 2],
        ['r3', 3],
      ]);
    });

    it('stores settings as JSON values', async () => {
      await store.putSetting('server.trust_proxy', true);
      await store.putSetting('retry.attempts', { max: 3 });
      await store.putSetting('server.trust_proxy', false);
      expect(store.setting('server.trust_proxy')).toEqual({
        name: 'server.trust_proxy',
        value: false,
        updatedAt: 1002,
      });
      expect(
        store
          .settings()
          .map((s) => s.name)
          .sort(),
      ).toEqual(['retry.attempts', 'server.trust_proxy']);
      expect(await store.deleteSetting('retry.attempts')).toBe(true);
      expect(await store.deleteSetting('retry.attempts')).toBe(false);
      expect(store.setting('retry.attempts')).toBeUndefined();
    });

    it('shows a write in its local view before the write settles', async () => {
      const writing = store.putUpstream('a', { url: 'http://a.example' });
      expect(store.upstream('a')?.definition).toEqual({ url: 'http://a.example' });
      await writing;
    });

    it('gives the next store opened on the same state everything back', async (test) => {
      if (!driver.reopen) return test.skip();
      await store.putUpstream('a', { url: 'http://a.example' });
      await store.addKeys('a', [K1, K2]);
      await store.setKeyEnabled('a', K1_ID, false);
      await store.putRoute('r2', {});
      await store.putRoute('r1', {});
      await store.putSetting('server.trust_proxy', true);
      const again = await driver.reopen();
      expect(again.upstream('a')).toEqual(store.upstream('a'));
      expect(again.upstream('a')!.keys.map((k) => [k.secret, k.enabled])).toEqual([
        [K1, false],
        [K2, true],
      ]);
      expect(again.routes().map((r) => r.name)).toEqual(['r2', 'r1']);
      expect(again.setting('server.trust_proxy')?.value).toBe(true);
    });
  });
}

/** The clock the drivers are made with: 1000, 1001, 1002… */
export function steppingClock(): () => number {
  let now = 999;
  return () => ++now;
}
