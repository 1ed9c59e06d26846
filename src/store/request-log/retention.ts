import type { SqliteDatabase } from '../sqlite';

const DAY = 86_400_000;
const CHUNK = 5000;

/**
 * Deletes request log rows older than `days` (and rollups older than `rollupDays`; 0 keeps
 * them), a few thousand rows per statement so a large purge never holds the write lock long.
 * Returns the number of rows deleted.
 */
export function applyRetention(db: SqliteDatabase, now: number, days: number, rollupDays: number): number {
  let deleted = 0;
  if (days > 0) {
    const statement = db.prepare(
      'DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE ts < ? ORDER BY ts LIMIT ?)',
    );
    const cutoff = now - days * DAY;
    for (let changes = CHUNK; changes === CHUNK; deleted += changes) {
      changes = statement.run(cutoff, CHUNK).changes;
    }
  }
  if (rollupDays > 0) {
    deleted += db.prepare('DELETE FROM usage_hourly WHERE hour < ?').run(now - rollupDays * DAY).changes;
  }
  return deleted;
}
