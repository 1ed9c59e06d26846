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
