import type { SqliteDatabase } from '../sqlite';
import type { RequestPage, RequestQuery } from '../types';
import { decodeCursor, encodeCursor, pageLimit, statusRange } from './page';

export type { RequestPage, RequestQuery } from '../types';

/**
 * Pages through the request log, newest first, by keyset (`(ts, id) < cursor`): every page costs
 * the same however deep it is. Each filter has an index that starts with its column and ends with
 * the time (`(client, ts)`, `(upstream, ts)`, `(model, ts)`, `(status, ts)`, and `(ts)` for
 * time ranges and status classes), so a page reads its rows in order from one index and stops at the
 * limit. Combined filters read the index of the most selective one and check the others per row.
 */
export function queryRequests(db: SqliteDatabase, query: RequestQuery): RequestPage {
  const { sql, params } = buildQuery(query);
  const limit = pageLimit(query.limit);
  const rows = db.prepare(sql).all(...params, limit + 1) as Record<string, unknown>[];
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  for (const row of data) row.attempts = JSON.parse(row.attempts as string);
  const last = data[data.length - 1];
  return { data, next_cursor: more && last ? encodeCursor(last.ts as number, last.id as number) : null };
}

export function buildQuery(query: RequestQuery): { sql: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  for (const field of ['client', 'upstream', 'model', 'route', 'verdict'] as const) {
    const value = query[field];
    if (value !== undefined) {
      where.push(`${field} = ?`);
      params.push(value);
    }
  }
  if (query.requestId !== undefined) {
    where.push('request_id = ?');
    params.push(query.requestId);
  }
  if (query.status !== undefined) {
    const [low, high] = statusRange(query.status);
    // A class is a range: it must not pick the (status, ts) index, which would need a sort.
    where.push(low === high ? 'status = ?' : '+status BETWEEN ? AND ?');
    params.push(...(low === high ? [low] : [low, high]));
  }
  if (query.from !== undefined) {
    where.push('ts >= ?');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    where.push('ts < ?');
    params.push(query.to);
  }
  if (query.cursor !== undefined) {
    const [ts, id] = decodeCursor(query.cursor);
    where.push('(ts, id) < (?, ?)');
    params.push(ts, id);
  }
  const sql = `SELECT * FROM request_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ts DESC, id DESC LIMIT ?`;
  return { sql, params };
}
