import { ACCESS_MIGRATIONS } from '../../../store/access-migrations';
import type { D1Database } from './types';

/**
 * Creates the gateway's tables in D1 on first use: the same migrations as the SQLite store
 * (clients, request log, hourly rollups), recorded in the same `schema_migrations` table, so
 * a D1 database and a SQLite file have one schema. Each migration is one D1 batch (atomic).
 */
export async function migrateD1(db: D1Database, now: number = Date.now()): Promise<string[]> {
  await db
    .prepare(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
    )
    .run();
  const { results } = await db.prepare('SELECT name FROM schema_migrations').all<{ name: string }>();
  const applied = new Set(results.map((row) => row.name));
  const ran: string[] = [];
  for (const migration of ACCESS_MIGRATIONS) {
    if (applied.has(migration.name) || typeof migration.up !== 'string') continue;
    const statements = splitStatements(migration.up).map((sql) => db.prepare(sql));
    statements.push(
      db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').bind(migration.name, now),
    );
    await db.batch(statements);
    ran.push(migration.name);
  }
  return ran;
}

/** The statements of a migration script (the scripts hold no `;` inside literals). */
export function splitStatements(script: string): string[] {
  return script
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
