import { ChunkedDecoder } from './chunked-decoder';
import { ResponseParseError, SocketError } from './errors';
import { parseResponseHead, type ResponseHead } from './response-head';

/** Where the parser delivers one response. */
export interface ParserSink {
  onHead(head: ResponseHead): void;
  onBody(chunk: Uint8Array): void;
}

enum State {
  /** No request is waiting for an answer: any byte is out of place. */
  Idle,
  Head,
  Fixed,
  Chunked,
  UntilClose,
  Done,
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Reads the response to one request at a time from a connection's bytes (no pipelining): head,
 * then a body framed by content-length, chunked encoding or the connection's end. 1xx heads are
 * skipped (101 is refused: the gateway never asks to switch protocols); HEAD, 204 and 304 have no
 * body. Bytes after the end of the response are counted in `stray`: such a connection is out of
 * step with its server and must not be reused. Errors are thrown as ResponseParseError.
 */
export class ResponseParser {
  private state = State.Idle;
  private pending: Buffer | undefined;
  private remaining = 0;
  private bodiless = false;
  private readonly decoder: ChunkedDecoder;
  /** Bytes that came after the response ended. */
  stray = 0;
  /** Set by the sink to stop delivering (the request was aborted during a callback). */
  halted = false;
  /** Whether the response allows the connection to be reused. */
  keepAlive = false;

  constructor(
    private readonly sink: ParserSink,
    private readonly maxHeaderSize: number,
  ) {
    this.decoder = new ChunkedDecoder(maxHeaderSize);
  }

  get complete(): boolean {
    return this.state === State.Done;
  }

  /** Whether any byte of the response has been read. */
  get started(): boolean {
    return this.state !== State.Head || this.pending !== undefined;
  }

  /** A request was sent: expect its response. */
  expect(method: string): void {
    this.state = State.Head;
    this.pending = undefined;
    this.bodiless = method === 'HEAD';
    this.stray = 0;
    this.halted = false;
    this.keepAlive = false;
    this.decoder.reset();
  }

  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.halted) {
      switch (this.state) {
        case State.Head:
          at = this.readHead(chunk, at);
          break;
        case State.Fixed:
          at = this.readFixed(chunk, at);
          break;
        case State.Chunked:
          at = this.decoder.decode(chunk, at, this.emit);
          if (this.decoder.done) this.state = State.Done;
          break;
        case State.UntilClose:
          this.sink.onBody(at === 0 ? chunk : chunk.subarray(at));
          return;
        default:
          this.stray += chunk.length - at;
          return;
      }
    }
  }

  /** The connection ended: a close-delimited body is complete, anything else was cut short. */
  end(): void {
    if (this.state === State.UntilClose) this.state = State.Done;
    else if (this.state !== State.Done && this.state !== State.Idle)
      throw new SocketError('other side closed');
  }

  /** The response was handled: nothing more is expected until the next request. */
  reset(): void {
    this.state = State.Idle;
    this.pending = undefined;
  }

  private readonly emit = (data: Uint8Array): void => this.sink.onBody(data);

  private readHead(chunk: Buffer, at: number): number {
    const before = this.pending ? this.pending.length : 0;
    const buf = this.pending ? Buffer.concat([this.pending, chunk.subarray(at)]) : chunk.subarray(at);
    const found = buf.indexOf(HEAD_END, Math.max(0, before - 3));
    if (found === -1) {
      if (buf.length > this.maxHeaderSize)
        throw new ResponseParseError('HPE_HEADER_OVERFLOW', 'head too large');
      this.pending = buf;
      return chunk.length;
    }
    if (found + 4 > this.maxHeaderSize) throw new ResponseParseError('HPE_HEADER_OVERFLOW', 'head too large');
    this.pending = undefined;
    const head = parseResponseHead(buf.toString('latin1', 0, found + 2));
    this.startBody(head);
    // Bytes of `chunk` used: the head's end, less what came from the pending part.
    return at + found + 4 - before;
  }

  private startBody(head: ResponseHead): void {
    const { status } = head;
    if (status < 200) {
      if (status === 101) throw new ResponseParseError('HPE_UNEXPECTED_UPGRADE', 'unexpected 101 upgrade');
      return; // informational: the real head follows
    }
    this.keepAlive = head.keepAlive;
    if (this.bodiless || status === 204 || status === 304) this.state = State.Done;
    else if (head.chunked) this.state = State.Chunked;
    else if (head.contentLength >= 0) {
      this.remaining = head.contentLength;
      this.state = head.contentLength === 0 ? State.Done : State.Fixed;
    } else {
      this.state = State.UntilClose;
      this.keepAlive = false;
    }
    this.sink.onHead(head);
  }

  private readFixed(chunk: Buffer, at: number): number {
    const n = Math.min(this.remaining, chunk.length - at);
    this.remaining -= n;
    if (this.remaining === 0) this.state = State.Done;
    this.sink.onBody(n === chunk.length ? chunk : chunk.subarray(at, at + n));
    return at + n;
  }
}
