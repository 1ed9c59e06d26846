import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SqliteDatabase } from './sqlite';

export const SECRET_FILE = 'secret.key';

/**
 * The gateway secret: the HMAC key client tokens are stored under. It must outlive restarts, or
 * stored tokens stop matching: `SWITCHYARD_SECRET` (any string; hashed to 32 bytes) when set,
 * else `secret.key` beside the database, made once with 32 random bytes (mode 0600).
 * An in-memory database gets a random secret (nothing outlives the process anyway).
 */
export function gatewaySecret(env: Readonly<Record<string, string | undefined>>, storePath: string): Buffer {
  if (env.SWITCHYARD_SECRET) return createHash('sha256').update(env.SWITCHYARD_SECRET).digest();
  if (storePath === ':memory:') return randomBytes(32);
  const file = join(dirname(storePath), SECRET_FILE);
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32);
  try {
    writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  }
}

/**
 * Records a check value of the secret in the database; false when the database was written
 * under another secret (tokens made with the admin API will then not match).
 */
export function checkSecret(db: SqliteDatabase, secret: Buffer): boolean {
  const check = createHmac('sha256', secret).update('switchyard secret check').digest('hex');
  const row = db.prepare("SELECT value FROM access_meta WHERE name = 'secret_check'").get() as
    | { value: string }
    | undefined;
  if (!row) {
    db.prepare("INSERT INTO access_meta (name, value) VALUES ('secret_check', ?)").run(check);
    return true;
  }
  return row.value === check;
}
