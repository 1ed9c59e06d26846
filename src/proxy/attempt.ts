import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { ERROR_TABLE } from '../core/errors';
import { type Classification, classifyError, classifyResponse, mayNeedBody } from '../health/classify';
import { retryAfterMs } from '../health/retry-after';
import type { AttemptRecord } from '../health/tracker';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import type { Failure, ProxyExchange } from './exchange';
import { describeFailure } from './failures';
import { headerValue, upstreamRequestHeaders } from './headers';
import { sseErrorEvent } from './respond';

/**
 * Plain JSON answers up to this size are held until complete, so a cut body can still be a 502;
 * error answers too (they are scanned for echoed secrets before they are passed on). An error
 * body larger than this is not passed on at all.
 */
const BUFFER_LIMIT = 8 * 1024 * 1024;

/**
 * - pipe: committed; bytes go to the client as they arrive.
 * - buffer: a 2xx `application/json` answer to a request that did not ask to stream, held
 *   until it ends, then committed whole. JSON streams (NDJSON, Gemini's) are piped.
 * - collect: an error answer, read to classify it before deciding to retry or pass it through.
 */
type Mode = 'pipe' | 'buffer' | 'collect';

/**
 * One try against one upstream with one key: an undici dispatch handler that decides, as the
 * response arrives, whether to commit it to the client or hand the exchange a failure to retry.
 */
export class Attempt implements Dispatcher.DispatchHandler {
  readonly startedAt = performance.now();
  headersAt = 0;
  /** The duration the exchange recorded for this attempt (0 until it settled). */
  recordedMs = 0;
  private controller: Dispatcher.DispatchController | undefined;
  private pendingAbort: Error | undefined;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private mode: Mode = 'pipe';
  private chunks: Buffer[] = [];
  private bytes = 0;
  /** An error body over BUFFER_LIMIT: read to its end and dropped. */
  private oversized = false;
  private sse = false;
  private endsOnEventBoundary = true;

  constructor(
    private readonly exchange: ProxyExchange,
    readonly upstream: Upstream,
    readonly key: UpstreamKey | undefined,
  ) {}

  dispatchOptions(rawHeaders: readonly string[]): Dispatcher.DispatchOptions {
    const { ctx } = this.exchange;
    const { provider, timeouts } = this.upstream;
    return {
      path: this.upstream.basePath + ctx.url,
      method: ctx.method as Dispatcher.HttpMethod,
      headers: upstreamRequestHeaders(rawHeaders, {
        authHeader: this.key ? provider.authHeader : null,
        authValue: this.key ? provider.authValue(this.key.secret) : null,
        requestId: ctx.id,
        contentLength: ctx.body ? ctx.body.length : null,
        extra: this.upstream.config.headers,
        defaults: provider.defaultHeaders,
        forwardedFor: ctx.forwardedFor,
        cookies: ctx.forwardCookies,
      }),
      body: ctx.body,
      headersTimeout: timeouts.first_byte,
      bodyTimeout: timeouts.idle,
    };
  }

  abort(reason: Error): void {
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort = reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (status < 200) return;
    this.status = status;
    this.headers = headers;
    this.headersAt = performance.now();
    const contentType = headerValue(headers, 'content-type') ?? '';
    this.sse = contentType.startsWith('text/event-stream');
    if (mayNeedBody(status)) this.mode = 'collect';
    else if (this.holdable(status, contentType)) this.mode = 'buffer';
    else this.commitPipe();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.mode === 'pipe') {
      this.write(controller, chunk);
      return;
    }
    if (this.oversized) return;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes <= BUFFER_LIMIT) return;
    if (this.mode === 'buffer') this.overflow(controller);
    else {
      this.oversized = true;
      this.chunks = [];
    }
  }

  onResponseEnd(): void {
    const { exchange } = this;
    if (this.mode === 'pipe') {
      const observer = exchange.ctx.responseObserver;
      const held = observer?.flush?.();
      if (held && held.length > 0) exchange.res.write(held);
      exchange.res.end();
      observer?.onEnd?.(false);
      exchange.settle(this, this.record(classifyResponse(this.status, undefined, this.upstream.provider)));
      exchange.complete();
      return;
    }
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    if (this.mode === 'buffer') {
      exchange.settle(this, this.record(classifyResponse(this.status, undefined, this.upstream.provider)));
      exchange.sendHeld(this, this.status, this.headers, body);
      return;
    }
    const text = this.oversized ? undefined : body.toString('utf8');
    const classification = classifyResponse(this.status, text, this.upstream.provider);
    const failure: Failure = {
      kind: 'response',
      status: this.status,
      headers: this.headers,
      body,
      verdict: classification.verdict,
      oversized: this.oversized,
    };
    const error = this.oversized ? `error body over ${BUFFER_LIMIT} bytes` : snippet(body);
    exchange.settleFailure(this, this.record(classification, error), failure);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    const { exchange } = this;
    const record = this.record(classifyError(err), describeFailure(err));
    if (exchange.committedBy(this)) {
      exchange.settle(this, record);
      this.endInterruptedResponse(err);
      exchange.complete();
      return;
    }
    exchange.settleFailure(this, record, { kind: 'error', error: err, cutShort: this.status > 0 });
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
      retryAfterMs: limited ? retryAfterMs(this.headers, this.exchange.now()) : undefined,
      error: verdict === 'success' ? undefined : error,
    };
  }

  private write(controller: Dispatcher.DispatchController, data: Buffer): void {
    const { res, ctx } = this.exchange;
    const observer = ctx.responseObserver;
    const chunk = observer?.transformChunk ? observer.transformChunk(data) : data;
    if (chunk.length === 0) return;
    if (this.sse) this.endsOnEventBoundary = endsWithBlankLine(chunk);
    if (!res.write(chunk)) {
      controller.pause();
      res.once('drain', () => controller.resume());
    }
  }

  private commitPipe(): void {
    this.mode = 'pipe';
    this.exchange.commit(this, this.status, this.headers, null);
    if (this.sse) this.exchange.res.flushHeaders();
  }

  /** A body too large to hold: commit now and stream what was read and the rest. */
  private overflow(controller: Dispatcher.DispatchController): void {
    const held = this.chunks;
    this.chunks = [];
    this.commitPipe();
    for (const chunk of held) this.write(controller, chunk);
  }

  private endInterruptedResponse(err: Error): void {
    const { res, ctx } = this.exchange;
    ctx.responseObserver?.onEnd?.(true);
    if (res.destroyed) return;
    if (this.sse) {
      res.end(sseErrorEvent(ERROR_TABLE.upstream_stream_interrupted.message, !this.endsOnEventBoundary));
    } else {
      res.destroy(err);
    }
  }

  /** A plain JSON answer with a body, small enough to hold until it is complete. */
  private holdable(status: number, contentType: string): boolean {
    const { ctx } = this.exchange;
    if (this.sse || ctx.stream || status === 204 || status === 304 || ctx.method === 'HEAD') return false;
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

function endsWithBlankLine(chunk: Buffer): boolean {
  const n = chunk.length;
  return (
    n >= 2 &&
    chunk[n - 1] === 0x0a &&
    (chunk[n - 2] === 0x0a || (chunk[n - 2] === 0x0d && chunk[n - 3] === 0x0a))
  );
}

function snippet(body: Buffer): string {
  return body.subarray(0, 512).toString('utf8');
}
