import type { PgConnection } from './connection';

const DAY = 86_400_000;

/**
 * One step of retention in PostgreSQL: deletes up to `chunk` request log rows older than `days`
 * (and, on the last step, rollups older than `rollupDays`; 0 keeps them). Returns the rows
 * deleted and whether more wait. Every instance may run it: deletes of the same old rows do not
 * conflict, they only find less to do.
 */
export async function pgRetentionStep(
  db: PgConnection,
  now: number,
  days: number,
  rollupDays: number,
  chunk = 5000,
): Promise<{ deleted: number; more: boolean }> {
  let deleted = 0;
  if (days > 0) {
    const result = await db.query(
      'DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE ts < $1 ORDER BY ts LIMIT $2)',
      [now - days * DAY, chunk],
    );
    deleted = result.rowCount ?? 0;
    if (deleted === chunk) return { deleted, more: true };
  }
  if (rollupDays > 0) {
    const result = await db.query('DELETE FROM usage_hourly WHERE hour < $1', [now - rollupDays * DAY]);
    deleted += result.rowCount ?? 0;
  }
  return { deleted, more: false };
}

/** Every step, one after the other (each its own statement, so no lock is held for long). */
export async function pgApplyRetention(
  db: PgConnection,
  now: number,
  days: number,
  rollupDays: number,
  chunk = 5000,
): Promise<number> {
  let total = 0;
  for (;;) {
    const { deleted, more } = await pgRetentionStep(db, now, days, rollupDays, chunk);
    total += deleted;
    if (!more) return total;
  }
}
