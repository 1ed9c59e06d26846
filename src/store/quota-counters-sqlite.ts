import {
  admission,
  afterRelease,
  type QuotaCounter,
  type QuotaCounterStore,
  type Reservation,
} from '../state/quota-counter-store';
import { type Migration, migrate, type SqliteDatabase, type SqliteStatement } from './sqlite';

const MIGRATIONS: readonly Migration[] = [
  {
    name: 'state-001-quota-counters',
    up: `CREATE TABLE quota_counters (
      name TEXT PRIMARY KEY,
      start INTEGER NOT NULL,
      used REAL NOT NULL,
      reserved REAL NOT NULL,
      holds INTEGER NOT NULL
    )`,
  },
];

interface Row {
  start: number;
  used: number;
  reserved: number;
  holds: number;
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
  private readonly hold: SqliteStatement;
  private readonly charge: SqliteStatement;
  private readonly run: <T>(work: () => T) => T;

  constructor(db: SqliteDatabase) {
    migrate(db, MIGRATIONS);
    this.roll = db.prepare('UPDATE quota_counters SET start = ?, used = 0 WHERE name = ? AND start <> ?');
    this.select = db.prepare('SELECT start, used, reserved, holds FROM quota_counters WHERE name = ?');
    this.insert = db.prepare(
      'INSERT INTO quota_counters (name, start, used, reserved, holds) VALUES (?, ?, ?, 0, 0) ON CONFLICT DO NOTHING',
    );
    this.hold = db.prepare('UPDATE quota_counters SET reserved = ?, holds = ? WHERE name = ?');
    this.charge = db.prepare('UPDATE quota_counters SET used = used + ? WHERE name = ?');
    // IMMEDIATE: the read and the write of a check-and-reserve hold the write lock together.
    this.run = (work) => db.transaction(work).immediate();
  }

  async read(name: string, start: number): Promise<QuotaCounter | undefined> {
    return this.run(() => {
      this.roll.run(start, name, start);
      const row = this.select.get(name) as Row | undefined;
      return row && { start: row.start, used: row.used, reserved: row.reserved, holds: row.holds };
    });
  }

  async seed(name: string, start: number, used: number): Promise<void> {
    this.insert.run(name, start, used);
  }

  async reserve(name: string, start: number, limit: number, amount: number): Promise<Reservation> {
    return this.run(() => {
      this.roll.run(start, name, start);
      const row = this.select.get(name) as Row | undefined;
      if (!row) return 'unseeded';
      const outcome = admission(row, limit, amount);
      if (outcome === 'reserved') this.hold.run(row.reserved + amount, row.holds + 1, name);
      return outcome;
    });
  }

  async settle(name: string, start: number, release: number | undefined, charge: number): Promise<void> {
    this.run(() => {
      this.roll.run(start, name, start);
      this.insert.run(name, start, 0);
      if (release !== undefined) {
        const row = this.select.get(name) as Row;
        const after = afterRelease(row, release);
        this.hold.run(after.reserved, after.holds, name);
      }
      this.charge.run(charge, name);
    });
  }
}
