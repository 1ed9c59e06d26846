import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { classifyError, classifyResponse, mayNeedBody } from '../health/classify';
import type { AttemptRecord } from '../health/tracker';
import type { Verdict } from '../health/verdict';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import type { ProxyExchange } from './exchange';
import { ClientCancelledError, describeFailure } from './failures';
import { headerValue, upstreamRequestHeaders } from './headers';
import { sseErrorEvent } from './respond';

/** Plain JSON answers up to this size are held until complete, so a cut body can still be a 502. */
const BUFFER_LIMIT = 8 * 1024 * 1024;
/** Error bodies up to this size are read to find provider error markers. */
const COLLECT_LIMIT = 256 * 1024;

/**
 * - pipe: committed; bytes go to the client as they arrive.
 * - buffer: a 2xx JSON answer, held until it ends, then committed whole.
 * - collect: an error answer, read to classify it before deciding to retry or pass it through.
 */
type Mode = 'pipe' | 'buffer' | 'collect';

/**
 * One try against one upstream with one key: an undici dispatch handler that decides, as the
 * response arrives, whether to commit it to the client or hand the exchange a verdict to retry on.
 */
export class Attempt implements Dispatcher.DispatchHandler {
  readonly startedAt = performance.now();
  private controller: Dispatcher.DispatchController | undefined;
  private pendingAbort: Error | undefined;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private mode: Mode = 'pipe';
  private chunks: Buffer[] = [];
  private bytes = 0;
  private sse = false;
  private endsOnEventBoundary = true;
  headersAt = 0;

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
    if (status < 300) {
      if (!this.sse && contentType.includes('json') && this.declaredLength() <= BUFFER_LIMIT)
        this.mode = 'buffer';
      else this.commitPipe(null);
    } else if (mayNeedBody(status)) {
      this.mode = 'collect';
    } else {
      this.commitPipe(null);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.mode !== 'pipe') {
      this.chunks.push(chunk);
      this.bytes += chunk.length;
      if (this.bytes > (this.mode === 'buffer' ? BUFFER_LIMIT : COLLECT_LIMIT)) this.overflow(controller);
      return;
    }
    this.write(controller, chunk);
  }

  onResponseEnd(): void {
    if (this.mode === 'pipe') {
      this.exchange.res.end();
      this.exchange.ctx.responseObserver?.onEnd?.(false);
      this.report(classifyResponse(this.status, undefined, this.upstream.provider));
      this.exchange.complete();
      return;
    }
    let body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    const verdict =
      this.mode === 'buffer'
        ? 'success'
        : classifyResponse(this.status, body.toString('utf8'), this.upstream.provider);
    if (this.report(verdict, undefined, body)) return;
    if (this.mode === 'collect')
      body = this.exchange.scrub(body, headerValue(this.headers, 'content-encoding'));
    this.exchange.commit(this, this.status, this.headers, body.length);
    const observer = this.exchange.ctx.responseObserver;
    if (observer) {
      observer.onBody?.(body);
      observer.onEnd?.(false);
    }
    this.exchange.res.end(body);
    this.exchange.complete();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    const { exchange } = this;
    const verdict: Verdict = err instanceof ClientCancelledError ? 'client_cancelled' : classifyError(err);
    const committed = exchange.committedBy(this);
    const retried = this.report(verdict, describeFailure(err));
    if (retried) return;
    if (committed) this.endInterruptedResponse(err);
    else if (verdict !== 'client_cancelled') exchange.fail(err, this.mode !== 'pipe' && this.status > 0);
    exchange.complete();
  }

  /** Records the verdict; true when the exchange took it as a reason to try another target. */
  private report(verdict: Verdict, error?: string, body?: Buffer): boolean {
    const record: AttemptRecord = {
      upstream: this.upstream.name,
      key: this.key?.masked ?? null,
      keyId: this.key?.id ?? null,
      status: this.status,
      verdict,
      durationMs: performance.now() - this.startedAt,
      ttfbMs: this.headersAt > 0 ? this.headersAt - this.startedAt : undefined,
      error: error ?? (verdict === 'success' || !body ? undefined : snippet(body)),
    };
    return this.exchange.settle(this, record);
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

  private commitPipe(contentLength: number | null): void {
    this.mode = 'pipe';
    this.exchange.commit(this, this.status, this.headers, contentLength);
    if (this.sse) this.exchange.res.flushHeaders();
  }

  /** A body too large to hold: commit now and stream what was read and the rest. */
  private overflow(controller: Dispatcher.DispatchController): void {
    const held = this.chunks;
    this.chunks = [];
    this.commitPipe(null);
    for (const chunk of held) this.write(controller, chunk);
  }

  private endInterruptedResponse(err: Error): void {
    const { res } = this.exchange;
    this.exchange.ctx.responseObserver?.onEnd?.(true);
    if (res.destroyed) return;
    if (this.sse) {
      res.end(
        sseErrorEvent(`upstream stream interrupted (${describeFailure(err)})`, !this.endsOnEventBoundary),
      );
    } else {
      res.destroy(err);
    }
  }

  private declaredLength(): number {
    const value = headerValue(this.headers, 'content-length');
    return value === undefined ? 0 : Number(value);
  }
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
