import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientSettingsSchema } from '../config/schema/access';
import { ACCESS_MIGRATIONS } from './access-migrations';
import { SqliteClientStore } from './client-store-sqlite';
import { checkSecret, gatewaySecret } from './secret';
import { migrate, openSqlite } from './sqlite';

describe('stored clients and the gateway secret', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sy-clients-'));
    dirs.push(dir);
    return dir;
  }

  it('keeps the secret in a 0600 file beside the database, the same across restarts', () => {
    const dir = tempDir();
    const path = join(dir, 'switchyard.db');
    const first = gatewaySecret({}, path);
    expect(first.length).toBe(32);
    expect(gatewaySecret({}, path).equals(first)).toBe(true);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(gatewaySecret({ SWITCHYARD_SECRET: 'from the environment' }, path).equals(first)).toBe(false);
  });

  it('notices when the database was written under another secret', () => {
    const db = openSqlite(':memory:');
    migrate(db, ACCESS_MIGRATIONS);
    const secret = Buffer.alloc(32, 1);
    expect(checkSecret(db, secret)).toBe(true);
    expect(checkSecret(db, secret)).toBe(true);
    expect(checkSecret(db, Buffer.alloc(32, 2))).toBe(false);
    db.close();
  });

  it('stores clients by name with their digest, and refuses a taken name or digest', () => {
    const dir = tempDir();
    const path = join(dir, 'switchyard.db');
    const db = openSqlite(path);
    migrate(db, ACCESS_MIGRATIONS);
    const store = new SqliteClientStore(db);
    const digest = Buffer.alloc(32, 7);
    const settings = clientSettingsSchema.parse({
      models: ['gpt-4o*'],
      limits: { rpm: 5 },
      expires_at: 1000,
    });
    expect(
      store.insert({ name: 'alice', digest, maskedKey: 'sk-...0000', settings, createdAt: 1, updatedAt: 1 }),
    ).toBe(true);
    expect(
      store.insert({
        name: 'alice',
        digest: Buffer.alloc(32, 8),
        maskedKey: 'x',
        settings,
        createdAt: 1,
        updatedAt: 1,
      }),
    ).toBe(false);
    expect(store.insert({ name: 'bob', digest, maskedKey: 'x', settings, createdAt: 1, updatedAt: 1 })).toBe(
      false,
    );
    expect(store.list()).toEqual([
      { name: 'alice', digest, maskedKey: 'sk-...0000', settings, createdAt: 1, updatedAt: 1 },
    ]);
    expect(store.update('alice', { ...settings, enabled: false }, 2)).toBe(true);
    expect(store.replaceKey('alice', Buffer.alloc(32, 9), 'sk-...1111', 3)).toBe(true);
    expect(store.list()[0]).toMatchObject({
      maskedKey: 'sk-...1111',
      updatedAt: 3,
      settings: { enabled: false },
    });
    db.close();
    const reopened = openSqlite(path);
    expect(new SqliteClientStore(reopened).delete('alice')).toBe(true);
    expect(new SqliteClientStore(reopened).list()).toEqual([]);
    reopened.close();
  });
});
