import type pg from 'pg';
import { quoteIdent } from './quote-ident';

/** One versioned schema change; versions only grow, and each runs once per schema. */
export interface PgMigration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

/** The advisory lock every Switchyard instance takes to migrate ("swyd" in ASCII). */
const MIGRATION_LOCK = 0x73777964;

/**
 * Brings the schema up to date in one transaction, under a transaction-level advisory lock:
 * instances that start together wait for the first, then find nothing left to do. Applied
 * versions are recorded in `schema_migrations`; DDL in PostgreSQL is transactional, so a failed
 * migration leaves nothing half done.
 */
export async function runMigrations(
  pool: pg.Pool,
  schema: string | undefined,
  migrations: readonly PgMigration[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(applied.rows.map((row) => row.version));
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query(migration.up);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
    client.release();
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    client.release(err as Error);
    throw err;
  }
}
