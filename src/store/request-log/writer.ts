import type { RequestRecord } from '../../observe/request-record';
import type { RequestLogSink } from '../types';

export interface WriterOptions {
  /** How often queued records are written: the most a hard crash can lose. */
  readonly flushIntervalMs: number;
  /** A queue this long is written at once, without waiting for the interval. */
  readonly batchSize: number;
  /**
   * Records beyond this many waiting (queued, or handed to the sink and not yet written) are
   * dropped (and counted), so memory stays bounded however slow the sink is.
   */
  readonly queueLimit: number;
  readonly onError?: (err: unknown) => void;
  readonly onDrop?: (dropped: number) => void;
}

/**
 * The request log's writer, off the hot path: a request only appends its record to an
 * in-memory queue; every `flushIntervalMs` (or when `batchSize` records wait) the queue is
 * handed to the sink as one batch (one transaction in SQLite, with the rollups). `close`
 * writes what is left (graceful shutdown). A hard crash (kill -9, power loss) loses at most
 * the records of the last interval.
 */
export class RequestLogWriter {
  private queue: RequestRecord[] = [];
  private readonly timer: NodeJS.Timeout;
  private soon: NodeJS.Immediate | undefined;
  private droppedSinceReport = 0;
  /** Records handed to the sink whose write has not settled yet. */
  private inFlight = 0;
  /** Settles when every batch handed over so far is written (or failed). */
  private writing: Promise<unknown> = Promise.resolve();
  dropped = 0;
  written = 0;
  private closed = false;

  constructor(
    private readonly sink: RequestLogSink,
    private readonly options: WriterOptions,
  ) {
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue(record: RequestRecord): void {
    if (this.closed) return;
    if (this.queue.length + this.inFlight >= this.options.queueLimit) {
      this.dropped++;
      this.droppedSinceReport++;
      return;
    }
    this.queue.push(record);
    if (this.queue.length >= this.options.batchSize && !this.soon) {
      this.soon = setImmediate(() => this.flush());
    }
  }

  /** Hands everything queued to the sink; returns how many records it handed over. */
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
    this.inFlight += records.length;
    const write = this.sink.append(records).then(
      () => {
        this.inFlight -= records.length;
        this.written += records.length;
      },
      (err: unknown) => {
        this.inFlight -= records.length;
        this.dropped += records.length;
        this.options.onError?.(err);
      },
    );
    this.writing = Promise.all([this.writing, write]);
    return records.length;
  }

  /** Hands everything queued to the sink and waits until it is written (before a query). */
  async drain(): Promise<void> {
    this.flush();
    await this.writing;
  }

  close(): Promise<void> {
    if (!this.closed) {
      clearInterval(this.timer);
      this.flush();
      this.closed = true;
    }
    return this.drain();
  }
}
