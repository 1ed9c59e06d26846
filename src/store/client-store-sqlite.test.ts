import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_MIGRATIONS } from './access-migrations';
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
});
