import { Worker } from 'node:worker_threads';
import type { RequestRecord } from '../../observe/request-record';
import type { SqliteRequestLog } from '../../store/request-log/sqlite-request-log';
import type { RequestLogSink, RequestPage, RequestQuery } from '../../store/types';
import type { ThreadReply, ThreadRequest, ThreadStart } from './request-log-protocol';

interface Waiting {
  resolve(reply: ThreadReply): void;
  reject(err: Error): void;
}

/**
 * The worker thread's entry: `request-log-thread.js` beside the bundle (dist/), or the TypeScript
 * source through tsx when the gateway runs from src/ (tests, `tsx src/cli/main.ts`).
 */
function startThread(start: ThreadStart): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    return new Worker(new URL('./request-log-thread.js', here), { workerData: start });
  }
  const entry = JSON.stringify(new URL('./request-log-thread.ts', here).href);
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); })`;
  return new Worker(boot, { eval: true, workerData: start });
}

/**
 * The request log's sink for a file store: batches are written by a worker thread with its own
 * SQLite connection (request-log-thread.ts), so inserts, rollups and retention never hold the
 * event loop. `append` settles once the thread has committed the batch. Queries read through the
 * main thread's connection (WAL: they see every committed batch). Should the thread die, the
 * batches it held are reported failed and later ones are written on the main thread.
 */
export class ThreadRequestLogSink implements RequestLogSink {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failed: Error | undefined;
  private closing = false;
  private readonly exited: Promise<void>;

  constructor(
    path: string,
    private readonly local: SqliteRequestLog,
    private readonly onThreadError: (err: Error) => void,
  ) {
    this.worker = startThread({ path });
    this.worker.unref();
    this.worker.on('message', (reply: ThreadReply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.once('exit', (code) => this.fail(new Error(`the request log thread exited (${code})`)));
  }

  async append(records: readonly RequestRecord[]): Promise<void> {
    if (this.failed) return this.local.append(records);
    await this.send((id) => ({ kind: 'append', id, records }));
  }

  query(query: RequestQuery): Promise<RequestPage> {
    return this.local.query(query);
  }

  /** Deletes rows and rollups past their retention on the thread; resolves with the rows deleted. */
  async retain(now: number, days: number, rollupDays: number): Promise<number> {
    const reply = await this.send((id) => ({ kind: 'retain', id, now, days, rollupDays }));
    return reply.deleted ?? 0;
  }

  /** Lets the thread finish what it was sent, close its connection and exit. */
  async close(): Promise<void> {
    this.closing = true;
    if (!this.failed) this.worker.postMessage({ kind: 'close' } satisfies ThreadRequest);
    await this.exited;
  }

  private send(message: (id: number) => ThreadRequest): Promise<ThreadReply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(message(id));
    });
  }

  private settle(reply: ThreadReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (reply.error === undefined) waiting.resolve(reply);
    else waiting.reject(new Error(reply.error));
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    for (const waiting of this.waiting.values()) waiting.reject(err);
    this.waiting.clear();
    if (!this.closing) this.onThreadError(err);
  }
}
