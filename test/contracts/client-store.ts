import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientStore, StoredClient } from '../../src/access/clients/client-store';
import { clientSettingsSchema } from '../../src/config/schema/access';
import type { Driver, MakeDriver } from './driver';

const settings = clientSettingsSchema.parse({ models: ['gpt-4o*'], limits: { rpm: 5 }, expires_at: 1000 });

function digest(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

function client(name: string, byte: number): StoredClient {
  return { name, digest: digest(byte), maskedKey: 'sk-...0000', settings, createdAt: 1, updatedAt: 1 };
}

/** What every ClientStore driver must do. */
export function clientStoreContract(name: string, makeDriver: MakeDriver<ClientStore>): void {
  describe(`ClientStore contract: ${name}`, () => {
    let driver: Driver<ClientStore>;
    let store: ClientStore;
    beforeEach(async () => {
      driver = await makeDriver();
      store = driver.store;
    });
    afterEach(() => driver.close());

    it('stores a client with its digest as bytes and lists clients by name', async () => {
      expect(await store.insert(client('bob', 2))).toBe(true);
      expect(await store.insert(client('alice', 7))).toBe(true);
      const listed = await store.list();
      expect(listed.map((c) => c.name)).toEqual(['alice', 'bob']);
      expect(listed[0]).toEqual({
        name: 'alice',
        digest: new Uint8Array(32).fill(7),
        maskedKey: 'sk-...0000',
        settings,
        createdAt: 1,
        updatedAt: 1,
      });
      expect(listed[0]!.digest).toBeInstanceOf(Uint8Array);
    });

    it('refuses a taken name or a taken digest', async () => {
      await store.insert(client('alice', 7));
      expect(await store.insert(client('alice', 8))).toBe(false);
      expect(await store.insert(client('bob', 7))).toBe(false);
      expect((await store.list()).map((c) => c.name)).toEqual(['alice']);
    });

    it('updates settings and replaces the key of a named client only', async () => {
      await store.insert(client('alice', 7));
      expect(await store.update('alice', { ...settings, enabled: false }, 2)).toBe(true);
      expect(await store.replaceKey('alice', digest(9), 'sk-...1111', 3)).toBe(true);
      expect((await store.list())[0]).toMatchObject({
        digest: new Uint8Array(32).fill(9),
        maskedKey: 'sk-...1111',
        createdAt: 1,
        updatedAt: 3,
        settings: { enabled: false },
      });
      expect(await store.update('nobody', settings, 4)).toBe(false);
      expect(await store.replaceKey('nobody', digest(10), 'x', 4)).toBe(false);
    });

    it('frees the old digest when a key is replaced', async () => {
      await store.insert(client('alice', 7));
      await store.replaceKey('alice', digest(9), 'sk-...1111', 3);
      expect(await store.insert(client('bob', 7))).toBe(true);
    });

    it('deletes by name', async () => {
      await store.insert(client('alice', 7));
      expect(await store.delete('alice')).toBe(true);
      expect(await store.delete('alice')).toBe(false);
      expect(await store.list()).toEqual([]);
    });

    it('does not change with the caller’s copy', async () => {
      const mine = client('alice', 7);
      await store.insert(mine);
      (mine.digest as Uint8Array).fill(0);
      expect((await store.list())[0]!.digest).toEqual(new Uint8Array(32).fill(7));
    });

    it('keeps its clients for the next store opened on the same state', async (test) => {
      if (!driver.reopen) return test.skip();
      await store.insert(client('alice', 7));
      const again = await driver.reopen!();
      expect((await again.list()).map((c) => c.name)).toEqual(['alice']);
      expect(await again.delete('alice')).toBe(true);
      expect(await store.list()).toEqual([]);
    });
  });
}
