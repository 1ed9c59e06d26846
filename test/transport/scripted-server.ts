import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** A request as the raw server read it off one connection. */
export interface SeenRequest {
  /** Which accepted connection carried it (0, 1, …). */
  readonly connection: number;
  /** The request line and headers as sent. */
  readonly head: string;
  /** The body as decoded (content-length or chunked). */
  readonly body: Buffer;
  /** Whether the body came chunked. */
  readonly chunked: boolean;
}

/** Writes a scripted answer on the socket the request came on. */
export interface Reply {
  readonly socket: Socket;
  /** Writes the bytes, one byte per write with a turn of the event loop between (default). */
  send(bytes: string | Buffer, options?: { byteByByte?: boolean }): Promise<void>;
}

export type Script = (request: SeenRequest, reply: Reply) => void | Promise<void>;

export interface ScriptedServer {
  readonly origin: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  /** Connections accepted so far. */
  accepted(): number;
  /** The most requests ever waiting for an answer on one connection (1 without pipelining). */
  maxOutstanding(): number;
  /** Resolves when `n` connections have closed on the server's side. */
  closedConnections(n: number): Promise<void>;
  script: Script;
  close(): Promise<void>;
}

/**
 * A raw `net` server that reads HTTP/1.1 requests (content-length or chunked bodies) and answers
 * each with bytes a test scripts, by default one byte at a time, so every split of a response is
 * exercised. It records every request and the connection it came on.
 */
export async function startScripted(script: Script): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  let accepted = 0;
  let closed = 0;
  let maxOutstanding = 0;
  const closeWaiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const state = { script };
  const server: Server = createServer((socket) => {
    const id = accepted++;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      closed++;
      for (const waiter of closeWaiters) if (closed >= waiter.n) waiter.resolve();
    });
    void serve(socket, id, (request, outstanding) => {
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      requests.push(request);
      return state.script(request, replyOn(socket));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    accepted: () => accepted,
    maxOutstanding: () => maxOutstanding,
    closedConnections: (n) =>
      closed >= n ? Promise.resolve() : new Promise((resolve) => closeWaiters.push({ n, resolve })),
    get script() {
      return state.script;
    },
    set script(next: Script) {
      state.script = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

function replyOn(socket: Socket): Reply {
  return {
    socket,
    async send(bytes, options = {}) {
      const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
      if (options.byteByByte === false) {
        socket.write(buf);
        return;
      }
      for (let i = 0; i < buf.length && !socket.destroyed; i++) {
        socket.write(buf.subarray(i, i + 1));
        await nextTurn();
      }
    },
  };
}

/** Reads requests off a socket one after the other and hands each to `handle`. */
async function serve(
  socket: Socket,
  id: number,
  handle: (request: SeenRequest, outstanding: number) => void | Promise<void>,
): Promise<void> {
  let buffer = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    waiting?.();
  });
  socket.on('close', () => waiting?.());
  for (;;) {
    let parsed = readRequest(buffer, id);
    while (!parsed && !socket.destroyed && socket.readable) {
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
      parsed = readRequest(buffer, id);
    }
    if (!parsed) return;
    buffer = buffer.subarray(parsed.used);
    // Another complete request already waiting means the client pipelined.
    const outstanding = readRequest(buffer, id) ? 2 : 1;
    await handle(parsed.request, outstanding);
  }
}

function readRequest(buffer: Buffer, connection: number): { request: SeenRequest; used: number } | undefined {
  const headEnd = buffer.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const head = buffer.toString('latin1', 0, headEnd);
  const start = headEnd + 4;
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    const decoded = decodeChunked(buffer, start);
    if (!decoded) return undefined;
    return { request: { connection, head, body: decoded.body, chunked: true }, used: decoded.end };
  }
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
  if (buffer.length < start + length) return undefined;
  const body = Buffer.from(buffer.subarray(start, start + length));
  return { request: { connection, head, body, chunked: false }, used: start + length };
}

function decodeChunked(buffer: Buffer, from: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(buffer.toString('latin1', at, lineEnd).split(';')[0]!, 16);
    if (size === 0) {
      const end = buffer.indexOf('\r\n\r\n', lineEnd);
      return end === -1 ? undefined : { body: Buffer.concat(parts), end: end + 4 };
    }
    if (buffer.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
