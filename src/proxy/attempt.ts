import { ERROR_TABLE } from '../core/errors';
import { type Classification, classifyError, classifyResponse, mayNeedBody } from '../health/classify';
import { retryAfterMs } from '../health/retry-after';
import type { AttemptRecord } from '../health/tracker';
import type { Verdict } from '../health/verdict';
import { concat, text } from '../http/bytes';
import { type HeaderRecord, headerValue } from '../http/types';
import type { PreparedAttempt } from '../providers/types';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import { describeFailure } from './failures';
import type { UpstreamController, UpstreamHandler } from './transport';

/**
 * Plain JSON answers up to this size are held until complete, so a cut body can still be a 502;
 * error answers too (they are scanned for echoed secrets before they are passed on). An error
 * body larger than this is not passed on at all.
 */
const BUFFER_LIMIT = 8 * 1024 * 1024;

/** What a failed attempt left to send if no retry happens. */
export type Failure =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: HeaderRecord;
      readonly body: Uint8Array;
      readonly verdict: Verdict;
      /** The body was over the hold limit and dropped. */
      readonly oversized: boolean;
    }
  | { readonly kind: 'error'; readonly error: Error; readonly cutShort: boolean };

/**
 * Where an attempt reports what happened (the exchange). The attempt never writes to the client:
 * it says when to commit, hands over chunks, and reports its end or its failure.
 */
export interface AttemptReport {
  /** The request's method, whether it asked to stream, and the wall clock (Retry-After). */
  readonly method: string;
  readonly streaming: boolean;
  now(): number;
  /** Commit now and stream: the head goes to the client; chunks follow through `pipe`. */
  commitStream(attempt: Attempt, status: number, headers: HeaderRecord): void;
  /** A chunk of a committed stream; the exchange pauses the attempt on backpressure. */
  pipe(attempt: Attempt, chunk: Uint8Array): void;
  /** A committed stream ended cleanly. */
  streamEnded(attempt: Attempt, record: AttemptRecord): void;
  /**
   * A committed stream broke: the client's response ends with an explicit error (`ending`: the
   * client format's own error event, when the answer is translated).
   */
  streamBroke(attempt: Attempt, record: AttemptRecord, err: Error, ending?: Uint8Array): void;
  /** A complete held answer (plain JSON success), committed whole. */
  answered(
    attempt: Attempt,
    record: AttemptRecord,
    status: number,
    headers: HeaderRecord,
    body: Uint8Array,
  ): void;
  /** The attempt failed before commit: retry, or end the request with `failure`. */
  failed(attempt: Attempt, record: AttemptRecord, failure: Failure): void;
}

/**
 * - pipe: committed; bytes go to the client as they arrive.
 * - buffer: a 2xx `application/json` answer to a request that did not ask to stream, held
 *   until it ends, then committed whole. JSON streams (NDJSON, Gemini's) are piped.
 * - collect: an error answer, read to classify it before deciding to retry or pass it through.
 */
type Mode = 'pipe' | 'buffer' | 'collect';

/**
 * One try against one upstream with one key: the transport's handler that decides, as the
 * response arrives, whether it commits (stream or held answer) or fails (for a retry).
 */
export class Attempt implements UpstreamHandler {
  readonly startedAt = performance.now();
  headersAt = 0;
  /** The duration the exchange recorded for this attempt (0 until it settled). */
  recordedMs = 0;
  private controller: UpstreamController | undefined;
  private pendingAbort: Error | undefined;
  private status = 0;
  private headers: HeaderRecord = {};
  private mode: Mode = 'pipe';
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  /** An error body over BUFFER_LIMIT: read to its end and dropped. */
  private oversized = false;
  private committed = false;

  constructor(
    private readonly report: AttemptReport,
    readonly upstream: Upstream,
    readonly key: UpstreamKey | undefined,
    /** What the provider made of the request for this upstream (src/providers). */
    readonly prepared: PreparedAttempt,
  ) {}

  abort(reason: Error): void {
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort = reason;
  }

  pause(): void {
    this.controller?.pause();
  }

  resume(): void {
    this.controller?.resume();
  }

  onStart(controller: UpstreamController): void {
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onHead(status: number, headers: HeaderRecord): void {
    this.status = status;
    this.headers = headers;
    this.headersAt = performance.now();
    const contentType = headerValue(headers, 'content-type') ?? '';
    const { translator } = this.prepared;
    if (mayNeedBody(status)) this.mode = 'collect';
    else if (this.holdable(status, contentType)) {
      this.mode = 'buffer';
      if (translator) this.headers = translator.head(headers, false);
    } else {
      if (translator) this.headers = translator.head(headers, true);
      this.commit();
    }
  }

  onData(chunk: Uint8Array): void {
    if (this.mode === 'pipe') {
      const out = this.prepared.translator ? this.prepared.translator.chunk(chunk) : chunk;
      if (out.length > 0) this.report.pipe(this, out);
      return;
    }
    if (this.oversized) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes <= BUFFER_LIMIT) return;
    // A translated answer is only readable whole: too large to hold, it fails like a cut body.
    if (this.mode === 'buffer' && this.prepared.translator)
      this.abort(new Error(`a translated answer over ${BUFFER_LIMIT} bytes`));
    else if (this.mode === 'buffer') this.overflow();
    else {
      this.oversized = true;
      this.chunks = [];
    }
  }

  onEnd(): void {
    const { translator } = this.prepared;
    if (this.mode === 'pipe') {
      const tail = translator?.end();
      if (tail && tail.length > 0) this.report.pipe(this, tail);
      this.report.streamEnded(this, this.record(this.classify(undefined)));
      return;
    }
    const body = concat(this.chunks, this.bytes);
    this.chunks = [];
    if (this.mode === 'buffer') {
      const answer = translator ? translator.body(body) : body;
      this.report.answered(this, this.record(this.classify(undefined)), this.status, this.headers, answer);
      return;
    }
    const classification = this.classify(this.oversized ? undefined : text(body));
    const failure: Failure = {
      kind: 'response',
      status: this.status,
      headers: translator ? translator.head(this.headers, false) : this.headers,
      body: translator && !this.oversized ? translator.error(this.status, body) : body,
      verdict: classification.verdict,
      oversized: this.oversized,
    };
    const error = this.oversized ? `error body over ${BUFFER_LIMIT} bytes` : snippet(body);
    this.report.failed(this, this.record(classification, error), failure);
  }

  onError(err: Error): void {
    const record = this.record(classifyError(err), describeFailure(err));
    if (this.committed) {
      const ending = this.prepared.translator?.fail(ERROR_TABLE.upstream_stream_interrupted.message);
      this.report.streamBroke(this, record, err, ending);
    } else this.report.failed(this, record, { kind: 'error', error: err, cutShort: this.status > 0 });
  }

  private classify(body: string | undefined): Classification {
    return classifyResponse(this.status, body, this.upstream.provider);
  }

  private record(classification: Classification, error?: string): AttemptRecord {
    const { verdict } = classification;
    const limited = verdict === 'rate_limited' || verdict === 'quota_exhausted';
    return {
      upstream: this.upstream.name,
      key: this.key?.masked ?? null,
      keyId: this.key?.id ?? null,
      status: this.status,
      verdict,
      marker: classification.marker,
      durationMs: performance.now() - this.startedAt,
      ttfbMs: this.headersAt > 0 ? this.headersAt - this.startedAt : undefined,
      retryAfterMs: limited ? retryAfterMs(this.headers, this.report.now()) : undefined,
      error: verdict === 'success' ? undefined : error,
      format: this.prepared.translator ? this.upstream.format : undefined,
    };
  }

  private commit(): void {
    this.mode = 'pipe';
    this.committed = true;
    this.report.commitStream(this, this.status, this.headers);
  }

  /** A body too large to hold: commit now and stream what was read and the rest. */
  private overflow(): void {
    const held = this.chunks;
    this.chunks = [];
    this.commit();
    for (const chunk of held) this.report.pipe(this, chunk);
  }

  /** A plain JSON answer with a body, small enough to hold until it is complete. */
  private holdable(status: number, contentType: string): boolean {
    const { report } = this;
    if (report.streaming || status === 204 || status === 304 || report.method === 'HEAD') return false;
    if (contentType.startsWith('text/event-stream')) return false;
    return isPlainJson(contentType) && this.declaredLength() <= BUFFER_LIMIT;
  }

  private declaredLength(): number {
    const value = headerValue(this.headers, 'content-length');
    return value === undefined ? 0 : Number(value);
  }
}

/** `application/json` (with parameters), not a JSON stream type such as `application/x-ndjson`. */
function isPlainJson(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return type === 'application/json';
}

function snippet(body: Uint8Array): string {
  return text(body.subarray(0, 512));
}
