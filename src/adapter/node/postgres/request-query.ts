import { decodeCursor, encodeCursor, pageLimit, statusRange } from '../../../store/request-log/page';
import type { UsageQuery } from '../../../store/request-log/rollups';
import { USAGE_GROUP_SQL, USAGE_SUMS } from '../../../store/request-log/sql';
import type { RequestPage, RequestQuery } from '../../../store/types';
import type { PgConnection } from './connection';

const HOUR = 3_600_000;

/** Numbered parameters for one statement. */
class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A page of the request log, newest first, by keyset (`(ts, id) < cursor`): every filter column
 * has an index `(column, ts, id)`, so a page reads in order from one index and stops at the limit.
 */
export async function queryRequestLog(db: PgConnection, query: RequestQuery): Promise<RequestPage> {
  const limit = pageLimit(query.limit);
  const { sql, values } = buildRequestQuery(query, limit + 1);
  const { rows } = await db.query<Record<string, unknown>>(sql, values);
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  for (const row of data) row.attempts = JSON.parse(row.attempts as string);
  const last = data[data.length - 1];
  return { data, next_cursor: more && last ? encodeCursor(last.ts as number, last.id as number) : null };
}

export function buildRequestQuery(query: RequestQuery, limit: number): { sql: string; values: unknown[] } {
  const where: string[] = [];
  const p = new Params();
  for (const field of ['client', 'upstream', 'model', 'route', 'verdict'] as const) {
    const value = query[field];
    if (value !== undefined) where.push(`${field} = ${p.add(value)}`);
  }
  if (query.requestId !== undefined) where.push(`request_id = ${p.add(query.requestId)}`);
  if (query.status !== undefined) {
    const [low, high] = statusRange(query.status);
    where.push(low === high ? `status = ${p.add(low)}` : `status BETWEEN ${p.add(low)} AND ${p.add(high)}`);
  }
  if (query.from !== undefined) where.push(`ts >= ${p.add(query.from)}`);
  if (query.to !== undefined) where.push(`ts < ${p.add(query.to)}`);
  if (query.cursor !== undefined) {
    const [ts, id] = decodeCursor(query.cursor);
    where.push(`(ts, id) < (${p.add(ts)}, ${p.add(id)})`);
  }
  const sql = `SELECT * FROM request_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ts DESC, id DESC LIMIT ${p.add(limit)}`;
  return { sql, values: p.values };
}

/** Sums of the hourly rollups over a time range, grouped as asked (dashboards). */
export async function queryUsageRollups(
  db: PgConnection,
  query: UsageQuery,
): Promise<Record<string, unknown>[]> {
  const where: string[] = [];
  const p = new Params();
  if (query.from !== undefined) where.push(`hour >= ${p.add(Math.floor(query.from / HOUR) * HOUR)}`);
  if (query.to !== undefined) where.push(`hour < ${p.add(query.to)}`);
  for (const [field, column] of [
    ['client', 'client'],
    ['upstream', 'upstream'],
    ['key', 'key_fp'],
    ['model', 'model'],
  ] as const) {
    const value = query[field];
    if (value !== undefined) where.push(`${column} = ${p.add(value)}`);
  }
  const groups = query.groupBy.map((group) => `${USAGE_GROUP_SQL[group]} AS ${group}`);
  const positions = query.groupBy.map((_, i) => i + 1).join(', ');
  const sql = `SELECT ${[...groups, ...USAGE_SUMS].join(', ')} FROM usage_hourly
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ${groups.length > 0 ? `GROUP BY ${positions} ORDER BY ${positions}` : ''}`;
  return (await db.query<Record<string, unknown>>(sql, p.values)).rows;
}

/** What a client used since a time (quota and budget after a restart); `since` is hour-aligned. */
export async function clientUsageSincePg(
  db: PgConnection,
  client: string,
  since: number,
): Promise<{ tokens: number; cost: number }> {
  const { rows } = await db.query<{ tokens: number; cost: number }>(
    'SELECT COALESCE(SUM(total_tokens), 0) AS tokens, COALESCE(SUM(cost), 0) AS cost FROM usage_hourly WHERE client = $1 AND hour >= $2',
    [client, since],
  );
  return rows[0] ?? { tokens: 0, cost: 0 };
}
