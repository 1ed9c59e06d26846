import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../observe/mask';
import { ConfigStore } from './config-store';
import { SecretBox } from './secret-box';
import { openSqlite } from './sqlite';

describe('ConfigStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tempFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sy-cfg-'));
    dirs.push(dir);
    return join(dir, 'store.db');
  }

  it('rolls a failed multi-table write back, in the file and in memory', () => {
    const file = tempFile();
    const box = new SecretBox(Buffer.alloc(32, 3));
    const db = openSqlite(file);
    const store = new ConfigStore(db, box);
    store.putUpstream('kept', { url: 'http://kept.example' });
    expect(() =>
      store.transaction(() => {
        store.putUpstream('torn', { url: 'http://torn.example' });
        store.addKeys('torn', ['sk-torn-key-000000001']);
        store.putSetting('server.trust_proxy', true);
        throw new Error('the write failed half-way');
      }),
    ).toThrow('the write failed half-way');
    expect(store.upstreams().map((u) => u.name)).toEqual(['kept']);
    expect(store.setting('server.trust_proxy')).toBeUndefined();
    db.close();
    const reopened = new ConfigStore(openSqlite(file), box);
    expect(reopened.upstreams().map((u) => u.name)).toEqual(['kept']);
    expect(reopened.settings()).toEqual([]);
  });

  it('keeps upstreams, keys, routes and settings across reopening, keys sealed', () => {
    const file = tempFile();
    const box = new SecretBox(Buffer.alloc(32, 3));
    const db = openSqlite(file);
    const store = new ConfigStore(db, box);
    store.putUpstream('a', { url: 'http://a.example' });
    expect(
      store.addKeys('a', ['sk-aaaaaaaaaaaaaaaa1', 'sk-aaaaaaaaaaaaaaaa2', 'sk-aaaaaaaaaaaaaaaa1']),
    ).toEqual({
      added: 2,
      duplicates: 1,
    });
    store.setKeyEnabled('a', fingerprint('sk-aaaaaaaaaaaaaaaa2'), false);
    store.putRoute('r1', { upstreams: ['a'] });
    store.putRoute('r2', { upstreams: ['a'] });
    store.putSetting('server.trust_proxy', true);
    db.close();
    expect(readFileSync(file).toString('latin1')).not.toContain('sk-aaaa');

    const again = new ConfigStore(openSqlite(file), box);
    const keys = again.upstream('a')!.keys;
    expect(keys.map((k) => [k.secret, k.enabled])).toEqual([
      ['sk-aaaaaaaaaaaaaaaa1', true],
      ['sk-aaaaaaaaaaaaaaaa2', false],
    ]);
    expect(again.addKeys('a', ['sk-aaaaaaaaaaaaaaaa2'])).toEqual({ added: 0, duplicates: 1 });
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

    it('are sealed in the store and come back in the clear', () => {
      const file = tempFile();
      const box = new SecretBox(Buffer.alloc(32, 3));
      const db = openSqlite(file);
      const store = new ConfigStore(db, box);
      store.putUpstream('a', upstream);
      store.putRoute('r', route);
      expect(store.upstream('a')!.definition).toEqual(upstream);
      db.close();
      const bytes = readFileSync(file).toString('latin1');
      for (const secret of SECRETS) expect(bytes).not.toContain(secret);
      expect(bytes).toContain('acme-org');

      const again = new ConfigStore(openSqlite(file), box);
      expect(again.upstream('a')!.definition).toEqual(upstream);
      expect(again.route('r')!.definition).toEqual(route);
    });

    it('stored in the clear by an earlier version are sealed when the store opens', () => {
      const file = tempFile();
      const box = new SecretBox(Buffer.alloc(32, 3));
      const db = openSqlite(file);
      new ConfigStore(db, box);
      db.prepare(
        `INSERT INTO admin_upstreams (name, definition, created_at, updated_at) VALUES ('a', ?, 0, 0)`,
      ).run(JSON.stringify(upstream));
      db.prepare(
        `INSERT INTO admin_routes (name, position, definition, created_at, updated_at) VALUES ('r', 1, ?, 0, 0)`,
      ).run(JSON.stringify(route));
      const opened = new ConfigStore(db, box);
      expect(opened.upstream('a')!.definition).toEqual(upstream);
      expect(opened.route('r')!.definition).toEqual(route);
      db.close();
      const bytes = readFileSync(file).toString('latin1');
      for (const secret of SECRETS) expect(bytes).not.toContain(secret);
      expect(new ConfigStore(openSqlite(file), box).route('r')!.definition).toEqual(route);
    });
  });

  it('deletes an upstream with its keys', () => {
    const db = openSqlite(':memory:');
    const store = new ConfigStore(db, new SecretBox(Buffer.alloc(32, 3)));
    store.putUpstream('a', {});
    store.addKeys('a', ['k1-aaaaaaaaaaaa']);
    expect(store.deleteUpstream('a')).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM admin_upstream_keys').get()).toEqual({ n: 0 });
  });

  it('refuses to open with a different master key', () => {
    const file = tempFile();
    const db = openSqlite(file);
    new ConfigStore(db, new SecretBox(Buffer.alloc(32, 3)));
    db.close();
    expect(() => new ConfigStore(openSqlite(file), new SecretBox(Buffer.alloc(32, 4)))).toThrow(
      /different secret key/,
    );
  });
});
