import { GatewayError } from '../../core/errors';
import { concat, utf8 } from '../../http/bytes';
import type { ClientRequest, ClientSink, FlatHeaders } from '../../http/types';
import { ClientCancelledError } from '../../proxy/failures';

/** Bytes the response may buffer before `write` asks the exchange to wait (backpressure). */
const HIGH_WATER_MARK = 64 * 1024;
/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);
/** Headers of one connection that a Worker's Response does not carry. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/**
 * One fetch `Request` and the `Response` the gateway writes (Cloudflare Workers, and the
 * in-process entry on Node: src/adapter/fetch/serve.ts), as its own ClientRequest and
 * ClientSink (src/http/types.ts). `response` resolves at `writeHead` with a Response over a
 * TransformStream, so streams reach the client chunk by chunk; `write` reports backpressure
 * from the stream's queue and `onDrain` waits on the writer's `ready`.
 */
export class FetchExchange implements ClientRequest, ClientSink {
  readonly response: Promise<Response>;
  /** Resolves when the response ended or the client went away. */
  readonly finished: Promise<void>;
  readonly target: string;
  readonly rawHeaders: FlatHeaders;
  headersSent = false;
  closed = false;
  private resolve!: (response: Response) => void;
  private markFinished!: () => void;
  private writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  private ended = false;
  private readonly closeCallbacks = new Set<() => void>();

  constructor(
    private readonly request: Request,
    readonly remoteAddress: string,
  ) {
    this.response = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.finished = new Promise((resolve) => {
      this.markFinished = resolve;
    });
    const url = new URL(request.url);
    this.target = url.pathname + url.search;
    const flat: string[] = [];
    request.headers.forEach((value, name) => {
      flat.push(name, value);
    });
    this.rawHeaders = flat;
    request.signal?.addEventListener('abort', () => this.gone(), { once: true });
  }

  get method(): string {
    return this.request.method;
  }

  header(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined;
  }

  readBody(limit: number): Promise<Uint8Array | null> {
    return readBody(this.request, limit);
  }

  writeHead(status: number, headers: FlatHeaders): void {
    if (this.headersSent) return;
    this.headersSent = true;
    const out = new Headers();
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = headers[i]!;
      if (!HOP_BY_HOP.has(name.toLowerCase())) out.append(name, headers[i + 1]!);
    }
    if (NULL_BODY.has(status) || this.request.method === 'HEAD') {
      // A HEAD answer keeps the length its GET would have; 204/304 have none.
      if (NULL_BODY.has(status)) out.delete('content-length');
      this.resolve(new Response(null, { status, headers: out }));
      return;
    }
    const stream = new TransformStream<Uint8Array, Uint8Array>(
      undefined,
      new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_MARK }),
    );
    this.writer = stream.writable.getWriter();
    this.writer.closed.catch(() => this.gone());
    this.resolve(new Response(stream.readable, { status, headers: out }));
  }

  flushHeaders(): void {}

  write(chunk: Uint8Array | string): boolean {
    if (!this.headersSent) this.writeHead(200, []);
    const { writer } = this;
    if (!writer || this.closed) return true;
    const bytes = typeof chunk === 'string' ? utf8(chunk) : chunk;
    if (bytes.length > 0) writer.write(bytes).catch(() => this.gone());
    return (writer.desiredSize ?? 0) > 0;
  }

  onDrain(callback: () => void): void {
    const { writer } = this;
    if (!writer) {
      queueMicrotask(callback);
      return;
    }
    writer.ready.then(callback, () => {});
  }

  end(chunk?: Uint8Array | string): void {
    if (!this.headersSent) this.writeHead(200, []);
    if (this.closed) return;
    if (chunk !== undefined) this.write(chunk);
    this.ended = true;
    this.closed = true;
    this.markFinished();
    this.writer?.close().catch(() => {});
  }

  abort(reason?: Error): void {
    if (!this.headersSent) {
      this.headersSent = true;
      this.resolve(new Response(null, { status: 502 }));
    }
    this.writer?.abort(reason ?? new Error('response aborted')).catch(() => {});
    this.gone();
  }

  onClose(callback: () => void): () => void {
    this.closeCallbacks.add(callback);
    return () => this.closeCallbacks.delete(callback);
  }

  /** The client went away (cancelled the stream or the request) before the response ended. */
  private gone(): void {
    if (this.ended) return;
    this.ended = true;
    this.closed = true;
    this.markFinished();
    const callbacks = [...this.closeCallbacks];
    this.closeCallbacks.clear();
    for (const callback of callbacks) callback();
  }
}

/** The whole body up to `limit` bytes; null when there is none. */
async function readBody(request: Request, limit: number): Promise<Uint8Array | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let result: Awaited<ReturnType<typeof reader.read>>;
    try {
      result = await reader.read();
    } catch {
      throw new ClientCancelledError('the client closed the connection while sending');
    }
    if (result.done) break;
    size += result.value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(result.value);
  }
  return size === 0 ? null : concat(chunks, size);
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('request_too_large', {
    message: `The request body is larger than the gateway's limit of ${limit} bytes (server.max_body_size).`,
  });
}
