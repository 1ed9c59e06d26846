import type { RequestRecord } from '../../../observe/request-record';
import { type Rollup, rollUp } from '../../../store/request-log/rollups';
import { REQUEST_LOG_COLUMNS, ROLLUP_COLUMNS } from '../../../store/request-log/sql';
import type { RequestLogSink, RequestPage, RequestQuery } from '../../../store/types';
import { isConnectionError, type PgConnection, type Queryable } from './connection';
import { storeUnavailable } from './errors';
import { queryRequestLog } from './request-query';

/** The request log's columns, shared with the SQLite and D1 drivers (src/store/request-log/sql.ts). */
const COLUMNS = REQUEST_LOG_COLUMNS;

/** PostgreSQL's array type for each column, for the one-statement batch insert (`unnest`). */
const ARRAY_TYPES: Record<(typeof COLUMNS)[number], string> = {
  ts: 'bigint[]',
  request_id: 'text[]',
  client: 'text[]',
  route: 'text[]',
  upstream: 'text[]',
  key_fp: 'text[]',
  method: 'text[]',
  path: 'text[]',
  model: 'text[]',
  sent_model: 'text[]',
  status: 'integer[]',
  verdict: 'text[]',
  duration_ms: 'float8[]',
  ttfb_ms: 'float8[]',
  prompt_tokens: 'bigint[]',
  completion_tokens: 'bigint[]',
  cached_tokens: 'bigint[]',
  total_tokens: 'bigint[]',
  tokens_estimated: 'integer[]',
  cost: 'float8[]',
  stream: 'integer[]',
  client_ip: 'text[]',
  user_agent: 'text[]',
  error: 'text[]',
  attempts: 'text[]',
  cache: 'text[]',
  saved_tokens: 'bigint[]',
  saved_cost: 'float8[]',
};

const INSERT = `INSERT INTO request_log (${COLUMNS.join(', ')})
  SELECT * FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${ARRAY_TYPES[c]}`).join(', ')})`;

const ROLLUP_TYPES = [
  'bigint',
  'text',
  'text',
  'text',
  'text',
  ...Array(7).fill('bigint'),
  'float8',
  'float8',
];
const SUMMED = ROLLUP_COLUMNS.slice(5);

const UPSERT = `INSERT INTO usage_hourly AS u (${ROLLUP_COLUMNS.join(', ')})
  SELECT * FROM unnest(${ROLLUP_COLUMNS.map((_, i) => `$${i + 1}::${ROLLUP_TYPES[i]}[]`).join(', ')})
  ON CONFLICT (hour, client, upstream, key_fp, model) DO UPDATE SET
  ${SUMMED.map((c) => `${c} = u.${c} + excluded.${c}`).join(',\n  ')}`;

export interface PgRequestLogOptions {
  /** Records held while PostgreSQL is unreachable; older ones are dropped past it (default 10 000). */
  readonly bufferLimit?: number;
  readonly onDrop?: (dropped: number) => void;
}

/**
 * The request log in PostgreSQL: a batch is one transaction of two statements, the rows and
 * the hourly rollups of the same records (upserted), so rows and rollups always agree. While
 * the store is unreachable, batches are held in a bounded buffer (the oldest dropped and
 * counted past `bufferLimit`) and written when the connection comes back.
 */
export class PgRequestLog implements RequestLogSink {
  private buffer: RequestRecord[] = [];
  private flushing: Promise<void> | undefined;
  /** Records dropped because the buffer was full during an outage. */
  dropped = 0;

  constructor(
    private readonly db: PgConnection,
    private readonly options: PgRequestLogOptions = {},
  ) {
    db.upListeners.push(() => {
      void this.flushBuffer();
    });
  }

  /** Records waiting for the store to come back. */
  get buffered(): number {
    return this.buffer.length;
  }

  async append(records: readonly RequestRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.db.up || this.buffer.length > 0) {
      this.hold(records);
      if (this.db.up) await this.flushBuffer();
      return;
    }
    try {
      await this.db.transaction((tx) => writeBatch(tx, records));
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.hold(records);
    }
  }

  async query(query: RequestQuery): Promise<RequestPage> {
    if (!this.db.up) throw storeUnavailable(this.db.lastError);
    return queryRequestLog(this.db, query);
  }

  /** Writes the held records, oldest first, one batch at a time; stops at the first failure. */
  flushBuffer(): Promise<void> {
    this.flushing ??= this.drainBuffer().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drainBuffer(): Promise<void> {
    while (this.buffer.length > 0 && this.db.up) {
      const batch = this.buffer.slice(0, 1000);
      try {
        await this.db.transaction((tx) => writeBatch(tx, batch));
      } catch (err) {
        if (isConnectionError(err)) return;
        throw err;
      }
      this.buffer.splice(0, batch.length);
    }
  }

  private hold(records: readonly RequestRecord[]): void {
    this.buffer.push(...records);
    const limit = this.options.bufferLimit ?? 10_000;
    const over = this.buffer.length - limit;
    if (over > 0) {
      this.buffer.splice(0, over);
      this.dropped += over;
      this.options.onDrop?.(over);
    }
  }
}

/** TEXT cannot hold NUL (an upstream error message might): it is written as U+FFFD. */
function storable(value: string | number | null | undefined): string | number | null {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD');
  return value ?? null;
}

async function writeBatch(tx: Queryable, records: readonly RequestRecord[]): Promise<void> {
  await tx.query(
    INSERT,
    COLUMNS.map((column) => records.map((record) => storable(record[column]))),
  );
  const rollups = rollUp(records);
  await tx.query(
    UPSERT,
    ROLLUP_COLUMNS.map((column) => rollups.map((rollup: Rollup) => storable(rollup[column]))),
  );
}
