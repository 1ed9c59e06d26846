import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test server: `SWITCHYARD_TEST_PG_URL`, else the local one (trust auth, database `test`). */
export const PG_URL = process.env.SWITCHYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the test server answers; suites that need it are skipped (and say so) when it does not. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    console.warn(`PostgreSQL is not reachable at ${PG_URL}: its suites are skipped`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A schema of its own for one test (parallel runs never meet): `create` makes it (for a store
 * that names it in its URL), `drop` removes it with its tables.
 */
export function testSchema(): { name: string; create(): Promise<void>; drop(): Promise<void> } {
  const name = `sy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name,
    create: () => run(`CREATE SCHEMA "${name}"`),
    drop: () => run(`DROP SCHEMA IF EXISTS "${name}" CASCADE`),
  };
}

async function run(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
