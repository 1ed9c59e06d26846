import type { ResponseObserver } from '../core/context';
import { concat } from '../http/bytes';
import type { HeaderRecord } from '../http/types';

/**
 * Records a committed answer for the cache while passing every call on to the observer it wraps
 * (the usage meter, when there is one): the bytes recorded are those the client received. It
 * gives up (and the answer is not stored) on a non-2xx status, an encoded body, a body over
 * `limit`, or an interrupted stream.
 */
export class CacheRecorder implements ResponseObserver {
  status = 0;
  contentType = '';
  stream = false;
  complete = false;
  private failed = false;
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;

  constructor(
    private readonly inner: ResponseObserver | undefined,
    private readonly limit: number,
  ) {}

  /** The recorded body, when the answer can be stored. */
  body(): Uint8Array | undefined {
    if (this.failed || !this.complete) return undefined;
    return concat(this.chunks, this.bytes);
  }

  onHead(status: number, headers: HeaderRecord): void {
    this.inner?.onHead?.(status, headers);
    this.status = status;
    const type = headers['content-type'];
    this.contentType = (Array.isArray(type) ? type[0] : type) ?? 'application/json';
    this.stream = this.contentType.startsWith('text/event-stream');
    if (status < 200 || status > 299 || headers['content-encoding'] !== undefined) this.failed = true;
  }

  rewritesBody(): boolean {
    return this.inner?.rewritesBody?.() === true;
  }

  transformChunk(chunk: Uint8Array): Uint8Array {
    const out = this.inner?.transformChunk ? this.inner.transformChunk(chunk) : chunk;
    this.keep(out);
    return out;
  }

  flush(): Uint8Array | undefined {
    const held = this.inner?.flush?.();
    if (held) this.keep(held);
    return held;
  }

  onBody(body: Uint8Array): void {
    this.inner?.onBody?.(body);
    this.keep(body);
  }

  onUsage(usage: { promptTokens: number; completionTokens: number; cachedTokens: number }): void {
    this.inner?.onUsage?.(usage);
  }

  onEnd(interrupted: boolean): void {
    this.inner?.onEnd?.(interrupted);
    this.complete = !interrupted;
  }

  private keep(chunk: Uint8Array): void {
    if (this.failed || chunk.length === 0) return;
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.failed = true;
      this.chunks.length = 0;
      return;
    }
    this.chunks.push(chunk);
  }
}
