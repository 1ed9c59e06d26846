import type { RequestRecord } from '../../observe/request-record';
import type { RequestLogSink, RequestPage, RequestQuery } from '../types';
import { decodeCursor, encodeCursor, pageLimit, statusRange } from './page';

interface Row {
  readonly id: number;
  readonly record: RequestRecord;
}

/** The request log in memory (tests, a runtime without a database): it lasts as long as the process. */
export class MemoryRequestLog implements RequestLogSink {
  private readonly rows: Row[] = [];
  private nextId = 1;

  async append(records: readonly RequestRecord[]): Promise<void> {
    for (const record of records) this.rows.push({ id: this.nextId++, record: { ...record } });
  }

  async query(query: RequestQuery): Promise<RequestPage> {
    const limit = pageLimit(query.limit);
    const keep = filter(query);
    const matching = this.rows.filter(keep).sort((a, b) => b.record.ts - a.record.ts || b.id - a.id);
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(({ id, record }) => ({
        id,
        ...record,
        attempts: JSON.parse(record.attempts) as unknown,
      })),
      next_cursor: matching.length > limit && last ? encodeCursor(last.record.ts, last.id) : null,
    };
  }
}

function filter(query: RequestQuery): (row: Row) => boolean {
  const [low, high] = query.status === undefined ? [0, Number.POSITIVE_INFINITY] : statusRange(query.status);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  return ({ id, record: r }) =>
    (query.client === undefined || r.client === query.client) &&
    (query.upstream === undefined || r.upstream === query.upstream) &&
    (query.model === undefined || r.model === query.model) &&
    (query.route === undefined || r.route === query.route) &&
    (query.verdict === undefined || r.verdict === query.verdict) &&
    (query.requestId === undefined || r.request_id === query.requestId) &&
    r.status >= low &&
    r.status <= high &&
    (query.from === undefined || r.ts >= query.from) &&
    (query.to === undefined || r.ts < query.to) &&
    (after === undefined || r.ts < after[0] || (r.ts === after[0] && id < after[1]));
}
