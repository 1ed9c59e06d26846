import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../observe/mask';
import { SqliteConfigRepository } from './config-repository-sqlite';
import { SecretBox } from './secret-box';
import { openSqlite } from './sqlite';

describe('the SQLite config repository', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tempFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sy-cfg-'));
    dirs.push(dir);
    return join(dir, 'store.db');
  }

  it('creates an upstream with its keys in one transaction: a failed key write leaves neither', async () => {
    const file = tempFile();
    const box = new SecretBox(Buffer.alloc(32, 3));
    /** Seals the second key as nothing, so its insert fails half-way through the transaction. */
    class FailingBox extends SecretBox {
      override encryptMany(plaintexts: readonly string[]): Buffer[] {
        return super
          .encryptMany(plaintexts)
          .map((sealed, i) => (i === 1 ? (null as unknown as Buffer) : sealed));
      }
    }
    const db = openSqlite(file);
    const store = new SqliteConfigRepository(db, new FailingBox(Buffer.alloc(32, 3)));
    await store.putUpstream('kept', { url: 'http://kept.example' });
    await expect(
      store.createUpstream('torn', { url: 'http://torn.example' }, [
        'sk-torn-key-000000001',
        'sk-torn-key-000000002',
      ]),
    ).rejects.toThrow(/NOT NULL/);
    expect(store.upstreams().map((u) => u.name)).toEqual(['kept']);
    db.close();
    const reopened = new SqliteConfigRepository(openSqlite(file), box);
    expect(reopened.upstreams().map((u) => u.name)).toEqual(['kept']);
    const created = await reopened.createUpstream('whole', { url: 'http://whole.example' }, [
      'sk-a-000000000001',
      'sk-a-000000000001',
      'sk-b-000000000002',
    ]);
    expect(created).toEqual({ added: 2, duplicates: 1 });
    expect(reopened.upstream('whole')?.keys.map((k) => k.secret)).toEqual([
      'sk-a-000000000001',
      'sk-b-000000000002',
    ]);
  });

  it('keeps upstreams, keys, routes and settings across reopening, keys sealed', async () => {
    const file = tempFile();
    const box = new SecretBox(Buffer.alloc(32, 3));
    const db = openSqlite(file);
    const store = new SqliteConfigRepository(db, box);
    await store.putUpstream('a', { url: 'http://a.example' });
    expect(
      await store.addKeys('a', ['sk-aaaaaaaaaaaaaaaa1', 'sk-aaaaaaaaaaaaaaaa2', 'sk-aaaaaaaaaaaaaaaa1']),
    ).toEqual({
      added: 2,
      duplicates: 1,
    });
    await store.setKeyEnabled('a', fingerprint('sk-aaaaaaaaaaaaaaaa2'), false);
    await store.putRoute('r1', { upstreams: ['a'] });
    await store.putRoute('r2', { upstreams: ['a'] });
    await store.putSetting('server.trust_proxy', true);
    db.close();
    expect(readFileSync(file).toString('latin1')).not.toContain('sk-aaaa');

    const again = new SqliteConfigRepository(openSqlite(file), box);
    const keys = again.upstream('a')!.keys;
    expect(keys.map((k) => [k.secret, k.enabled])).toEqual([
      ['sk-aaaaaaaaaaaaaaaa1', true],
      ['sk-aaaaaaaaaaaaaaaa2', false],
    ]);
    expect(await again.addKeys('a', ['sk-aaaaaaaaaaaaaaaa2'])).toEqual({ added: 0, duplicates: 1 });
    expect(again.routes().map((r) => r.name)).toEqual(['r1', 'r2']);
    expect(again.setting('server.trust_proxy')?.value).toBe(true);
  });

  describe('credential header values', () => {
    const upstream = {
      url: 'http://a.example',
      headers: { authorization: 'Bearer hdr-secret-AAAAAAAAAAAA', 'x-org': 'acme-org' },
      health_check: { headers: { 'x-api-key': 'hc-secret-BBBBBBBBBBBB' } },
      keepalive: { interval: '1m', headers: { 'x-custom': 'sk-ka-secret-CCCCCCCCCCCC' } },
    };
    const route = { upstreams: ['a'], headers: { set: { 'x-upstream-token': 'route-secret-DDDDDDDDDDDD' } } };
    const SECRETS = ['hdr-secret-AAAA', 'hc-secret-BBBB', 'ka-secret-CCCC', 'route-secret-DDDD'];

    it('are sealed in the store and come back in the clear', async () => {
      const file = tempFile();
      const box = new SecretBox(Buffer.alloc(32, 3));
      const db = openSqlite(file);
      const store = new SqliteConfigRepository(db, box);
      await store.putUpstream('a', upstream);
      await store.putRoute('r', route);
      expect(store.upstream('a')!.definition).toEqual(upstream);
      db.close();
      const bytes = readFileSync(file).toString('latin1');
      for (const secret of SECRETS) expect(bytes).not.toContain(secret);
      expect(bytes).toContain('acme-org');

      const again = new SqliteConfigRepository(openSqlite(file), box);
      expect(again.upstream('a')!.definition).toEqual(upstream);
      expect(again.route('r')!.definition).toEqual(route);
    });

    it('stored in the clear by an earlier version are sealed when the store opens', async () => {
      const file = tempFile();
      const box = new SecretBox(Buffer.alloc(32, 3));
      const db = openSqlite(file);
      new SqliteConfigRepository(db, box);
      db.prepare(
        `INSERT INTO admin_upstreams (name, definition, created_at, updated_at) VALUES ('a', ?, 0, 0)`,
      ).run(JSON.stringify(upstream));
      db.prepare(
        `INSERT INTO admin_routes (name, position, definition, created_at, updated_at) VALUES ('r', 1, ?, 0, 0)`,
      ).run(JSON.stringify(route));
      const opened = new SqliteConfigRepository(db, box);
      expect(opened.upstream('a')!.definition).toEqual(upstream);
      expect(opened.route('r')!.definition).toEqual(route);
      db.close();
      const bytes = readFileSync(file).toString('latin1');
      for (const secret of SECRETS) expect(bytes).not.toContain(secret);
      expect(new SqliteConfigRepository(openSqlite(file), box).route('r')!.definition).toEqual(route);
    });
  });

  it('deletes an upstream with its keys', async () => {
    const db = openSqlite(':memory:');
    const store = new SqliteConfigRepository(db, new SecretBox(Buffer.alloc(32, 3)));
    await store.putUpstream('a', {});
    await store.addKeys('a', ['k1-aaaaaaaaaaaa']);
    expect(await store.deleteUpstream('a')).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM admin_upstream_keys').get()).toEqual({ n: 0 });
  });

  it('refuses to open with a different master key', async () => {
    const file = tempFile();
    const db = openSqlite(file);
    new SqliteConfigRepository(db, new SecretBox(Buffer.alloc(32, 3)));
    db.close();
    expect(() => new SqliteConfigRepository(openSqlite(file), new SecretBox(Buffer.alloc(32, 4)))).toThrow(
      /different secret key/,
    );
  });
});
