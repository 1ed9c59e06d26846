import type { QuotaCounter, QuotaCounterStore } from '../state/quota-counter-store';
import { type Migration, migrate, type SqliteDatabase, type SqliteStatement } from './sqlite';

const MIGRATIONS: readonly Migration[] = [
  {
    name: 'state-001-quota-counters',
    up: `CREATE TABLE quota_counters (
      name TEXT PRIMARY KEY,
      start INTEGER NOT NULL,
      used REAL NOT NULL,
      reserved REAL NOT NULL
    )`,
  },
];

interface Row {
  start: number;
  used: number;
  reserved: number;
}

/**
 * Quota counters in a SQLite table, for processes that share one database file. Each call is
 * one transaction (the period roll and the change together), so a check-and-reserve is atomic
 * across processes. Statements are prepared once, when the store is made.
 */
export class SqliteQuotaCounterStore implements QuotaCounterStore {
  private readonly roll: SqliteStatement;
  private readonly select: SqliteStatement;
  private readonly insert: SqliteStatement;
  private readonly reserveRow: SqliteStatement;
  private readonly settleRow: SqliteStatement;
  private readonly run: <T>(work: () => T) => T;

  constructor(db: SqliteDatabase) {
    migrate(db, MIGRATIONS);
    this.roll = db.prepare('UPDATE quota_counters SET start = ?, used = 0 WHERE name = ? AND start <> ?');
    this.select = db.prepare('SELECT start, used, reserved FROM quota_counters WHERE name = ?');
    this.insert = db.prepare(
      'INSERT INTO quota_counters (name, start, used, reserved) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING',
    );
    this.reserveRow = db.prepare(
      'UPDATE quota_counters SET reserved = reserved + ? WHERE name = ? AND used + reserved < ?',
    );
    this.settleRow = db.prepare(
      'UPDATE quota_counters SET reserved = max(0, reserved - ?), used = used + ? WHERE name = ?',
    );
    this.run = (work) => db.transaction(work)();
  }

  async read(name: string, start: number): Promise<QuotaCounter | undefined> {
    return this.run(() => {
      this.roll.run(start, name, start);
      const row = this.select.get(name) as Row | undefined;
      return row && { start: row.start, used: row.used, reserved: row.reserved };
    });
  }

  async seed(name: string, start: number, used: number): Promise<void> {
    this.insert.run(name, start, used);
  }

  async reserve(name: string, start: number, limit: number, amount: number): Promise<boolean> {
    return this.run(() => {
      this.roll.run(start, name, start);
      return this.reserveRow.run(amount, name, limit).changes === 1;
    });
  }

  async settle(name: string, start: number, release: number, charge: number): Promise<void> {
    this.run(() => {
      this.roll.run(start, name, start);
      this.insert.run(name, start, 0);
      this.settleRow.run(release, charge, name);
    });
  }
}
