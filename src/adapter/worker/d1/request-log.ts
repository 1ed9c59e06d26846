import type { RequestRecord } from '../../../observe/request-record';
import { rollUp } from '../../../store/request-log/rollups';
import {
  insertRequestSql,
  REQUEST_LOG_COLUMNS,
  ROLLUP_COLUMNS,
  upsertRollupSql,
} from '../../../store/request-log/sql';
import type { D1Database, D1PreparedStatement } from './types';

const DAY = 86_400_000;
/** Rows one retention pass deletes at most (a Cron Trigger every minute works through a backlog). */
const RETENTION_CHUNK = 5000;

const INSERT = insertRequestSql(() => '?');

const UPSERT_ROLLUP = upsertRollupSql(() => '?');

/**
 * The request log in D1: finished requests are queued in memory and written, with their hourly
 * rollups, in one batch per flush. The Worker flushes in `waitUntil` after each response, so a
 * flush joins the one in progress rather than writing the same records twice.
 */
export class D1RequestLog {
  private queue: RequestRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  written = 0;

  constructor(
    private readonly db: D1Database,
    private readonly onError: (err: unknown) => void,
    private readonly queueLimit = 10_000,
  ) {}

  enqueue(record: RequestRecord): void {
    if (this.queue.length < this.queueLimit) this.queue.push(record);
  }

  /** Writes what is queued (after any write in progress); never rejects. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeQueued());
    return this.writing;
  }

  /**
   * Deletes request log rows older than `days` (one chunk) and rollups older than `rollupDays`;
   * 0 keeps them (`request_log.retention_days`, `rollup_retention_days`). Returns the rows deleted.
   */
  async prune(now: number, days: number, rollupDays: number): Promise<number> {
    let deleted = 0;
    if (days > 0) {
      const result = await this.db
        .prepare(
          'DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE ts < ? ORDER BY ts LIMIT ?)',
        )
        .bind(now - days * DAY, RETENTION_CHUNK)
        .run();
      deleted += result.meta.changes ?? 0;
    }
    if (rollupDays > 0) {
      const result = await this.db
        .prepare('DELETE FROM usage_hourly WHERE hour < ?')
        .bind(now - rollupDays * DAY)
        .run();
      deleted += result.meta.changes ?? 0;
    }
    return deleted;
  }

  private async writeQueued(): Promise<void> {
    if (this.queue.length === 0) return;
    const records = this.queue;
    this.queue = [];
    const statements: D1PreparedStatement[] = records.map((record) =>
      this.db.prepare(INSERT).bind(...REQUEST_LOG_COLUMNS.map((column) => record[column] ?? null)),
    );
    for (const rollup of rollUp(records)) {
      statements.push(this.db.prepare(UPSERT_ROLLUP).bind(...ROLLUP_COLUMNS.map((column) => rollup[column])));
    }
    try {
      await this.db.batch(statements);
      this.written += records.length;
    } catch (err) {
      this.onError(err);
    }
  }
}
