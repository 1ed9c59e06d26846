import type { RequestRecord } from '../../observe/request-record';
import type { SqliteDatabase } from '../sqlite';
import { rollUp, upsertRollups } from './rollups';

export interface WriterOptions {
  /** How often queued records are written: the most a hard crash can lose. */
  readonly flushIntervalMs: number;
  /** A queue this long is written at once, without waiting for the interval. */
  readonly batchSize: number;
  /** Records beyond this many waiting are dropped (and counted), so memory stays bounded. */
  readonly queueLimit: number;
  readonly onError?: (err: unknown) => void;
  readonly onDrop?: (dropped: number) => void;
}

const COLUMNS = [
  'ts',
  'request_id',
  'client',
  'route',
  'upstream',
  'key_fp',
  'method',
  'path',
  'model',
  'sent_model',
  'status',
  'verdict',
  'duration_ms',
  'ttfb_ms',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
  'total_tokens',
  'tokens_estimated',
  'cost',
  'stream',
  'client_ip',
  'user_agent',
  'error',
  'attempts',
  'cache',
  'saved_tokens',
  'saved_cost',
] as const;

/**
 * The request log's writer, off the hot path: a request only appends its record to an
 * in-memory queue; every `flushIntervalMs` (or when `batchSize` records wait) the queue is
 * written in one transaction, with the hourly rollups of the same records, so rows and
 * rollups always agree. `close` writes what is left (graceful shutdown). A hard crash
 * (kill -9, power loss) loses at most the records of the last interval.
 */
export class RequestLogWriter {
  private queue: RequestRecord[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly writeBatch: (records: readonly RequestRecord[]) => void;
  private soon: NodeJS.Immediate | undefined;
  private droppedSinceReport = 0;
  dropped = 0;
  written = 0;
  private closed = false;

  constructor(
    db: SqliteDatabase,
    private readonly options: WriterOptions,
  ) {
    const insert = db.prepare(
      `INSERT INTO request_log (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    const upsert = upsertRollups(db);
    this.writeBatch = db.transaction((records: readonly RequestRecord[]) => {
      for (const record of records) insert.run(record);
      upsert(rollUp(records));
    });
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue(record: RequestRecord): void {
    if (this.closed) return;
    if (this.queue.length >= this.options.queueLimit) {
      this.dropped++;
      this.droppedSinceReport++;
      return;
    }
    this.queue.push(record);
    if (this.queue.length >= this.options.batchSize && !this.soon) {
      this.soon = setImmediate(() => this.flush());
    }
  }

  /** Writes everything queued; returns how many records were written. */
  flush(): number {
    if (this.soon) clearImmediate(this.soon);
    this.soon = undefined;
    if (this.droppedSinceReport > 0) {
      this.options.onDrop?.(this.droppedSinceReport);
      this.droppedSinceReport = 0;
    }
    if (this.queue.length === 0) return 0;
    const records = this.queue;
    this.queue = [];
    try {
      this.writeBatch(records);
      this.written += records.length;
      return records.length;
    } catch (err) {
      this.dropped += records.length;
      this.options.onError?.(err);
      return 0;
    }
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.flush();
    this.closed = true;
  }
}
