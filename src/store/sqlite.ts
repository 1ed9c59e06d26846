import Database from 'better-sqlite3';
import { preparePrivateDatabase } from './private-files';

export type SqliteDatabase = Database.Database;
export type SqliteStatement = Database.Statement;

import type { Migration as AnyMigration } from './migration';

/** A migration for SQLite: SQL, or a function given the database. */
export type Migration = AnyMigration<SqliteDatabase>;

/**
 * Opens the embedded database: WAL for concurrent readers during writes, NORMAL sync (durable
 * at checkpoints, never corrupt), a busy timeout for the rare writer contention.
 * The file, its `-wal` and `-shm` and a folder it creates are owner-only (0600, 0700).
 * `:memory:` gives a private in-memory database (tests).
 */
export function openSqlite(path: string): SqliteDatabase {
  if (path !== ':memory:') preparePrivateDatabase(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  return db;
}

/** Applies the migrations not yet recorded, each in its own transaction, in the given order. */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): string[] {
  const applied = new Set(
    (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((row) => row.name),
  );
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  const ran: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    db.transaction(() => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      record.run(migration.name, Date.now());
    })();
    ran.push(migration.name);
  }
  return ran;
}
