import type { HeaderRecord } from '../../http/types';
import type { Transport, UpstreamController, UpstreamHandler, UpstreamRequest } from '../../proxy/transport';
import type { Upstream } from '../../routing/upstream';

/** The response head did not come within `headersTimeout` (classified as a timeout). */
export class FetchHeadersTimeoutError extends Error {
  override readonly name = 'HeadersTimeoutError';
  /** The code the proxy's failure table knows as a timeout (src/proxy/failures.ts). */
  readonly code = 'UND_ERR_HEADERS_TIMEOUT';
}

/** The body stayed silent longer than `bodyTimeout` between chunks (classified as a timeout). */
export class FetchBodyTimeoutError extends Error {
  override readonly name = 'BodyTimeoutError';
  readonly code = 'UND_ERR_BODY_TIMEOUT';
}

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/**
 * The upstream transport over `fetch` (Workers and any runtime with Web streams): the runtime
 * keeps its own connections, so there is no pool here. Timeouts and aborts go through one
 * AbortController per attempt; the body is read chunk by chunk with a reader that honours
 * the exchange's pause and resume (backpressure towards the upstream).
 */
export class FetchTransport implements Transport {
  constructor(private readonly send: FetchFunction = (input, init) => fetch(input, init)) {}

  dispatch(upstream: Upstream, request: UpstreamRequest, handler: UpstreamHandler): void {
    void new FetchDispatch(this.send, upstream.origin + request.path, request, handler).run();
  }

  async close(): Promise<void> {}
}

/** One attempt: the controller the handler steers, and the loop that feeds it. */
class FetchDispatch implements UpstreamController {
  private readonly aborter = new AbortController();
  private failure: Error | undefined;
  private finished = false;
  private paused = false;
  private wake: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: FetchFunction,
    private readonly url: string,
    private readonly request: UpstreamRequest,
    private readonly handler: UpstreamHandler,
  ) {}

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  abort(reason: Error): void {
    if (this.finished || this.failure) return;
    this.failure = reason;
    this.clearTimer();
    this.aborter.abort(reason);
    this.wake?.();
  }

  async run(): Promise<void> {
    this.handler.onStart(this);
    try {
      if (this.failure) throw this.failure;
      this.arm(this.request.headersTimeout, () => new FetchHeadersTimeoutError('no response head in time'));
      const response = await this.send(this.url, this.init());
      this.clearTimer();
      if (this.failure) throw this.failure;
      this.handler.onHead(response.status, headerRecord(response.headers));
      if (response.body) await this.pump(response.body.getReader());
      if (this.failure) throw this.failure;
      this.finished = true;
      this.handler.onEnd();
    } catch (err) {
      this.clearTimer();
      this.finished = true;
      this.handler.onError(this.failure ?? asError(err));
    }
  }

  private init(): RequestInit {
    const headers = new Headers();
    const flat = this.request.headers;
    for (let i = 0; i + 1 < flat.length; i += 2) headers.append(flat[i]!, flat[i + 1]!);
    const { method } = this.request;
    // The body's bytes as the fetch types want them (an ArrayBuffer-backed view).
    const body = this.request.body as Uint8Array<ArrayBuffer> | null;
    return { method, headers, body, signal: this.aborter.signal, redirect: 'manual' };
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        if (this.paused) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
        this.wake = undefined;
        if (this.failure) return;
        this.arm(this.request.bodyTimeout, () => new FetchBodyTimeoutError('the body went silent'));
        const { done, value } = await reader.read();
        this.clearTimer();
        if (done || this.failure) return;
        if (value.length > 0) this.handler.onData(value);
      }
    } finally {
      if (this.failure) reader.cancel(this.failure).catch(() => {});
    }
  }

  private arm(ms: number, error: () => Error): void {
    if (ms > 0) this.timer = setTimeout(() => this.abort(error()), ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Response headers in the gateway's record shape. `Set-Cookie` stays a list. The runtime decodes
 * a compressed body itself, so a declared length no longer matches and is dropped.
 */
export function headerRecord(headers: Headers): HeaderRecord {
  const out: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  if (out['content-encoding'] !== undefined) delete out['content-length'];
  return out;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
