import type { SqliteDatabase } from '../sqlite';

const DAY = 86_400_000;
export const RETENTION_CHUNK = 5000;

/**
 * One step of retention: deletes up to `chunk` (default `RETENTION_CHUNK`) request log rows older than `days`
 * (and, on the last step, rollups older than `rollupDays`; 0 keeps them). Small steps never
 * hold the write lock or the event loop for long. Returns the rows deleted and whether more wait.
 */
export function retentionStep(
  db: SqliteDatabase,
  now: number,
  days: number,
  rollupDays: number,
  chunk = RETENTION_CHUNK,
): { deleted: number; more: boolean } {
  let deleted = 0;
  if (days > 0) {
    deleted = db
      .prepare(
        'DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE ts < ? ORDER BY ts LIMIT ?)',
      )
      .run(now - days * DAY, chunk).changes;
    if (deleted === chunk) return { deleted, more: true };
  }
  if (rollupDays > 0) {
    deleted += db.prepare('DELETE FROM usage_hourly WHERE hour < ?').run(now - rollupDays * DAY).changes;
  }
  return { deleted, more: false };
}

/** Every step at once (tests, tools); the gateway runs the steps one event-loop turn apart. */
export function applyRetention(
  db: SqliteDatabase,
  now: number,
  days: number,
  rollupDays: number,
  chunk = RETENTION_CHUNK,
): number {
  let total = 0;
  for (;;) {
    const { deleted, more } = retentionStep(db, now, days, rollupDays, chunk);
    total += deleted;
    if (!more) return total;
  }
}
