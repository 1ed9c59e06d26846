import {
  admission,
  afterRelease,
  type QuotaCounter,
  type QuotaCounterStore,
  type Reservation,
} from '../../../state/quota-counter-store';
import type { PgConnection, Queryable } from './connection';

const ROLL = 'UPDATE quota_counters SET start = $1, used = 0 WHERE name = $2 AND start <> $1';
const LOCK = 'SELECT start, used, reserved, holds FROM quota_counters WHERE name = $1 FOR UPDATE';
const INSERT =
  'INSERT INTO quota_counters (name, start, used, reserved, holds) VALUES ($1, $2, $3, 0, 0) ON CONFLICT DO NOTHING';
const HOLD = 'UPDATE quota_counters SET reserved = $1, holds = $2 WHERE name = $3';

/**
 * Quota counters in PostgreSQL, shared by every instance on the database. Each call is one
 * transaction that rolls the period and locks the row (`FOR UPDATE`) before it decides, so a
 * check-and-reserve is atomic across instances.
 */
export class PgQuotaCounterStore implements QuotaCounterStore {
  constructor(private readonly db: PgConnection) {}

  read(name: string, start: number): Promise<QuotaCounter | undefined> {
    return this.db.transaction(async (tx) => locked(tx, name, start));
  }

  async seed(name: string, start: number, used: number): Promise<void> {
    await this.db.query(INSERT, [key(name), start, used]);
  }

  reserve(name: string, start: number, limit: number, amount: number): Promise<Reservation> {
    return this.db.transaction(async (tx) => {
      const row = await locked(tx, name, start);
      if (!row) return 'unseeded';
      const outcome = admission(row, limit, amount);
      if (outcome === 'reserved') await tx.query(HOLD, [row.reserved + amount, row.holds + 1, key(name)]);
      return outcome;
    });
  }

  async settle(name: string, start: number, release: number | undefined, charge: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(INSERT, [key(name), start, 0]);
      const row = (await locked(tx, name, start))!;
      if (release !== undefined) {
        const after = afterRelease(row, release);
        await tx.query(HOLD, [after.reserved, after.holds, key(name)]);
      }
      await tx.query('UPDATE quota_counters SET used = used + $1 WHERE name = $2', [charge, key(name)]);
    });
  }
}

/** The counter in the period starting at `start` (rolled over if it was in an earlier one), locked. */
async function locked(tx: Queryable, name: string, start: number): Promise<QuotaCounter | undefined> {
  await tx.query(ROLL, [start, key(name)]);
  const row = (await tx.query<QuotaCounter>(LOCK, [key(name)])).rows[0];
  return row && { start: row.start, used: row.used, reserved: row.reserved, holds: row.holds };
}

/** Counter names join their parts with NUL (`tokens\0alice`): stored as bytes. */
function key(name: string): Buffer {
  return Buffer.from(name, 'utf8');
}
