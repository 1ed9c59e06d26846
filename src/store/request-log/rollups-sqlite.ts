import type { SqliteDatabase } from '../sqlite';
import type { Rollup, UsageQuery } from './rollups';
import { USAGE_GROUP_SQL, USAGE_SUMS, upsertRollupSql } from './sql';

const HOUR = 3_600_000;

/** The hourly rollups in SQLite: upserted with each request-log batch, summed for dashboards. */
export function upsertRollups(db: SqliteDatabase): (rollups: readonly Rollup[]) => void {
  const statement = db.prepare(upsertRollupSql((column) => `@${column}`));
  return (rollups) => {
    for (const rollup of rollups) statement.run(rollup);
  };
}

/** What a client used since a time (quota and budget after a restart); `since` is hour-aligned. */
export function clientUsageSince(
  db: SqliteDatabase,
): (client: string, since: number) => { tokens: number; cost: number } {
  const statement = db.prepare(
    'SELECT COALESCE(SUM(total_tokens), 0) AS tokens, COALESCE(SUM(cost), 0) AS cost FROM usage_hourly WHERE client = ? AND hour >= ?',
  );
  return (client, since) =>
    db.open ? (statement.get(client, since) as { tokens: number; cost: number }) : { tokens: 0, cost: 0 };
}

/** Sums of the hourly rollups over a time range, grouped as asked (dashboards). */
export function queryUsage(db: SqliteDatabase, query: UsageQuery): Record<string, unknown>[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.from !== undefined) {
    where.push('hour >= ?');
    params.push(Math.floor(query.from / HOUR) * HOUR);
  }
  if (query.to !== undefined) {
    where.push('hour < ?');
    params.push(query.to);
  }
  for (const [field, column] of [
    ['client', 'client'],
    ['upstream', 'upstream'],
    ['key', 'key_fp'],
    ['model', 'model'],
  ] as const) {
    const value = query[field];
    if (value !== undefined) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  const groups = query.groupBy.map((group) => `${USAGE_GROUP_SQL[group]} AS ${group}`);
  const sql = `SELECT ${[...groups, ...USAGE_SUMS].join(', ')} FROM usage_hourly
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ${groups.length > 0 ? `GROUP BY ${query.groupBy.map((_, i) => i + 1).join(', ')} ORDER BY ${query.groupBy.map((_, i) => i + 1).join(', ')}` : ''}`;
  return db.prepare(sql).all(...params) as Record<string, unknown>[];
}
