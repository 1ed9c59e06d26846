import { createHmac } from 'node:crypto';
import type { PgConnection } from './connection';

/**
 * Records a check value of the gateway secret in the database; false when the database was
 * written under another secret (tokens made with the admin API will then not match).
 */
export async function checkSecretPg(db: PgConnection, secret: Uint8Array): Promise<boolean> {
  const check = createHmac('sha256', secret).update('switchyard secret check').digest();
  await db.query(
    "INSERT INTO store_meta (name, value) VALUES ('secret_check', $1) ON CONFLICT (name) DO NOTHING",
    [check],
  );
  const { rows } = await db.query<{ value: Buffer }>(
    "SELECT value FROM store_meta WHERE name = 'secret_check'",
  );
  return rows[0] !== undefined && Buffer.from(rows[0].value).equals(check);
}
