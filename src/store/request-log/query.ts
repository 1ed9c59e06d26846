import type { SqliteDatabase } from '../sqlite';

export interface RequestQuery {
  /** Milliseconds since the epoch, inclusive. */
  readonly from?: number;
  /** Milliseconds since the epoch, exclusive. */
  readonly to?: number;
  readonly client?: string;
  readonly upstream?: string;
  readonly model?: string;
  readonly route?: string;
  /** The request's verdict: `success`, `rate_limited`, `upstream_fault`… */
  readonly verdict?: string;
  /** An exact status (`429`), a class (`2xx`, `4xx`, `5xx`) or `error` (400 and above). */
  readonly status?: string;
  readonly requestId?: string;
  /** Rows per page, 1-1000 (default 100). */
  readonly limit?: number;
  /** `next_cursor` of the previous page. */
  readonly cursor?: string;
}

export interface RequestPage {
  readonly data: Record<string, unknown>[];
  readonly next_cursor: string | null;
}

/**
 * Pages through the request log, newest first, by keyset (`(ts, id) < cursor`): every page costs
 * the same however deep it is. Each filter has an index that starts with its column and ends with
 * the time (`(client, ts)`, `(upstream, ts)`, `(model, ts)`, `(status, ts)`, and `(ts)` for
 * time ranges and status classes), so a page reads its rows in order from one index and stops at the
 * limit. Combined filters read the index of the most selective one and check the others per row.
 */
export function queryRequests(db: SqliteDatabase, query: RequestQuery): RequestPage {
  const { sql, params } = buildQuery(query);
  const limit = Math.min(Math.max(Math.floor(query.limit ?? 100), 1), 1000);
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

function statusRange(status: string): [number, number] {
  if (/^[1-5]xx$/i.test(status)) {
    const base = Number(status[0]) * 100;
    return [base, base + 99];
  }
  if (status === 'error') return [400, 999];
  const exact = Number(status);
  if (!Number.isInteger(exact))
    throw new RangeError(`status "${status}" is not a status, a class (4xx) or "error"`);
  return [exact, exact];
}

function encodeCursor(ts: number, id: number): string {
  return Buffer.from(`${ts}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  const [ts, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':').map(Number);
  if (!Number.isFinite(ts) || !Number.isFinite(id)) throw new RangeError('cursor is not one this API gave');
  return [ts!, id!];
}
