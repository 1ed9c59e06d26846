import type { RequestRecord } from '../../../observe/request-record';
import { rollUp } from '../../../store/request-log/rollups';
import type { D1Database, D1PreparedStatement } from './types';

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
] as const satisfies readonly (keyof RequestRecord)[];

const DAY = 86_400_000;
/** Rows one retention pass deletes at most (a Cron Trigger every minute works through a backlog). */
const RETENTION_CHUNK = 5000;

const INSERT = `INSERT INTO request_log (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

const UPSERT_ROLLUP = `
  INSERT INTO usage_hourly (hour, client, upstream, key_fp, model, requests, errors, prompt_tokens,
    completion_tokens, cached_tokens, total_tokens, estimated_requests, cost, duration_ms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (hour, client, upstream, key_fp, model) DO UPDATE SET
    requests = requests + excluded.requests,
    errors = errors + excluded.errors,
    prompt_tokens = prompt_tokens + excluded.prompt_tokens,
    completion_tokens = completion_tokens + excluded.completion_tokens,
    cached_tokens = cached_tokens + excluded.cached_tokens,
    total_tokens = total_tokens + excluded.total_tokens,
    estimated_requests = estimated_requests + excluded.estimated_requests,
    cost = cost + excluded.cost,
    duration_ms = duration_ms + excluded.duration_ms`;

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
      this.db.prepare(INSERT).bind(...COLUMNS.map((column) => record[column])),
    );
    for (const r of rollUp(records)) {
      statements.push(
        this.db
          .prepare(UPSERT_ROLLUP)
          .bind(
            r.hour,
            r.client,
            r.upstream,
            r.key_fp,
            r.model,
            r.requests,
            r.errors,
            r.prompt_tokens,
            r.completion_tokens,
            r.cached_tokens,
            r.total_tokens,
            r.estimated_requests,
            r.cost,
            r.duration_ms,
          ),
      );
    }
    try {
      await this.db.batch(statements);
      this.written += records.length;
    } catch (err) {
      this.onError(err);
    }
  }
}
