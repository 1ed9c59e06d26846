import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMasterKey, SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('round-trips a secret and never stores it in clear', () => {
    const sealed = box.encrypt('sk-live-0123456789abcdef');
    expect(sealed.toString('latin1')).not.toContain('sk-live');
    expect(box.decrypt(sealed)).toBe('sk-live-0123456789abcdef');
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same').equals(box.encrypt('same'))).toBe(false);
  });

  it('refuses altered data and a different key', () => {
    const sealed = box.encrypt('sk-live-0123456789abcdef');
    const altered = Buffer.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => box.decrypt(altered)).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).decrypt(sealed)).toThrow();
  });

  it('seals many values at once, each on its own', () => {
    const sealed = box.encryptMany(['one-secret', 'two-secret']);
    expect(sealed.map((s) => box.decrypt(s))).toEqual(['one-secret', 'two-secret']);
    expect(sealed[0]!.subarray(1, 13).equals(sealed[1]!.subarray(1, 13))).toBe(false);
  });
});

describe('the master key', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('comes from SWITCHYARD_SECRET (any string, hashed to 32 bytes)', () => {
    const a = loadMasterKey({ SWITCHYARD_SECRET: 'correct horse battery staple' }, 'x.db');
    expect(a.key).toHaveLength(32);
    expect(loadMasterKey({ SWITCHYARD_SECRET: 'correct horse battery staple' }, 'x.db').key).toEqual(a.key);
    expect(loadMasterKey({ SWITCHYARD_SECRET: 'other' }, 'x.db').key).not.toEqual(a.key);
  });

  it('is generated once into secret.key beside the store, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-key-'));
    dirs.push(dir);
    const store = join(dir, 'data', 'switchyard.db');
    const first = loadMasterKey({}, store);
    const file = join(dir, 'data', 'secret.key');
    expect(first.origin).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key.toString('hex'));
    expect(loadMasterKey({}, store).key).toEqual(first.key);
    writeFileSync(file, 'not a key');
    expect(() => loadMasterKey({}, store)).toThrow(/64 hex digits/);
  });
});
