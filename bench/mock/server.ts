/**
 * The benchmark's mock upstream: an OpenAI-shaped chat endpoint on a raw TCP server, so that it
 * costs as little as possible and never is the bottleneck. It reads a request's head and body,
 * checks that a gateway injected a `Bearer sk-bench-…` key, and answers:
 * - a body with `"stream":true`: SSE, `--chunks` events `--interval` ms apart, then `[DONE]`;
 * - a body naming the model `bench-slow`: the chat completion after `--delay` ms (the realistic
 *   60 ms to first byte);
 * - anything else: the chat completion at once, from one pre-built buffer.
 */
import { createServer, type Socket } from 'node:net';
import {
  COMPLETION_RESPONSE,
  KEEP_ALIVE_SECONDS,
  monotonicMicros,
  SSE_DONE,
  SSE_HEAD,
  sseEventChunk,
  UNAUTHORIZED_RESPONSE,
} from './responses';

export interface MockOptions {
  readonly chunks: number;
  readonly intervalMs: number;
  readonly delayMs: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');
const STREAM_MARKS = [Buffer.from('"stream":true'), Buffer.from('"stream": true')];
const SLOW_MARK = Buffer.from('bench-slow');
export const IDLE_CLOSE_MS = KEEP_ALIVE_SECONDS * 1000;

/** Where the current request's body ends in `buf`, or -1 while it is incomplete. */
export function requestEnd(buf: Buffer, headEnd: number, lowerHead: string): number {
  const bodyStart = headEnd + 4;
  const at = lowerHead.indexOf('content-length:');
  if (at !== -1) {
    const lineEnd = lowerHead.indexOf('\r', at);
    const length = Number.parseInt(lowerHead.slice(at + 15, lineEnd === -1 ? undefined : lineEnd), 10) || 0;
    return buf.length >= bodyStart + length ? bodyStart + length : -1;
  }
  if (lowerHead.includes('transfer-encoding: chunked')) {
    const end = buf.indexOf(CHUNKED_END, bodyStart - 2);
    return end === -1 ? -1 : end + CHUNKED_END.length;
  }
  return bodyStart;
}

function hasAny(body: Buffer, marks: readonly Buffer[]): boolean {
  for (const mark of marks) if (body.indexOf(mark) !== -1) return true;
  return false;
}

/** One client connection: parses requests one at a time and answers them in order. */
class Connection {
  private pending: Buffer | null = null;
  private busy = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: MockOptions,
  ) {
    socket.setNoDelay(true);
    // Idle keep-alive connections close after a while, so that one scenario's many stream
    // connections do not hold the mock's file descriptors into the next.
    socket.setTimeout(IDLE_CLOSE_MS, () => {
      if (!this.busy) socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      this.drain();
    });
    socket.on('error', () => socket.destroy());
  }

  private drain(): void {
    while (this.pending && !this.busy) {
      const buf = this.pending;
      const headEnd = buf.indexOf(HEAD_END);
      if (headEnd === -1) return;
      const lowerHead = buf.toString('latin1', 0, headEnd).toLowerCase();
      const end = requestEnd(buf, headEnd, lowerHead);
      if (end === -1) return;
      const body = buf.subarray(headEnd + 4, end);
      this.pending = end < buf.length ? buf.subarray(end) : null;
      this.answer(lowerHead, body);
    }
  }

  private answer(lowerHead: string, body: Buffer): void {
    if (!lowerHead.includes('bearer sk-bench-')) {
      this.socket.write(UNAUTHORIZED_RESPONSE);
    } else if (hasAny(body, STREAM_MARKS)) {
      this.stream();
    } else if (body.indexOf(SLOW_MARK) !== -1) {
      this.busy = true;
      setTimeout(() => this.finish(COMPLETION_RESPONSE), this.options.delayMs);
    } else {
      this.socket.write(COMPLETION_RESPONSE);
    }
  }

  private finish(last: Buffer): void {
    this.busy = false;
    if (this.socket.destroyed) return;
    this.socket.write(last);
    this.drain();
  }

  private stream(): void {
    this.busy = true;
    const { socket } = this;
    const { chunks, intervalMs } = this.options;
    socket.cork();
    socket.write(SSE_HEAD);
    socket.write(sseEventChunk(monotonicMicros()));
    socket.uncork();
    let sent = 1;
    const timer = setTimeout(() => {
      if (socket.destroyed) return;
      if (sent === chunks) {
        this.finish(SSE_DONE);
        return;
      }
      socket.write(sseEventChunk(monotonicMicros()));
      sent++;
      timer.refresh();
    }, intervalMs);
    socket.once('close', () => clearTimeout(timer));
  }
}

export interface MockServer {
  readonly port: number;
  close(): void;
}

export function startMockServer(port: number, host: string, options: MockOptions): Promise<MockServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    new Connection(socket, options);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: 4096 }, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close() {
          for (const socket of sockets) socket.destroy();
          server.close();
        },
      });
    });
  });
}
