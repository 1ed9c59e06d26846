/**
 * The ceiling a Node gateway could reach: a reverse proxy on raw `net` sockets with a minimal
 * HTTP/1.1 reader on both sides (request line and headers as text, `content-length` bodies),
 * one pre-built write per request and per response, and a pool of idle upstream connections.
 * It only rotates the bench keys into `Authorization`: an experiment for the throughput scenario,
 * not a gateway (no chunked request bodies, no streaming answers, no errors beyond 502).
 * Child-process entry: `--port P --upstream URL --keys N`; prints `{"port":N}` when listening.
 */
import { connect, createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { benchKeys } from '../config/keys';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    upstream: { type: 'string' },
    keys: { type: 'string', default: '10' },
  },
});
const upstream = new URL(values.upstream!);
const keys = benchKeys(Number(values.keys)).map((key) => `authorization: Bearer ${key}\r\n`);
let nextKey = 0;
const HEAD_END = Buffer.from('\r\n\r\n');
const BAD_GATEWAY = Buffer.from('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');

/** Where a message whose head ends at `headEnd` ends, from its content-length; -1 if incomplete. */
function messageEnd(buf: Buffer, headEnd: number, head: string): number {
  const at = head.indexOf('content-length:');
  let length = 0;
  if (at !== -1) {
    const lineEnd = head.indexOf('\r', at);
    length = Number.parseInt(head.slice(at + 15, lineEnd === -1 ? undefined : lineEnd), 10) || 0;
  }
  const end = headEnd + 4 + length;
  return buf.length >= end ? end : -1;
}

/** An upstream keep-alive connection that carries one request at a time. */
class UpstreamConnection {
  private pending: Buffer | null = null;
  private onAnswer: ((answer: Buffer | null) => void) | null = null;
  readonly socket: Socket;

  constructor(private readonly release: (conn: UpstreamConnection) => void) {
    this.socket = connect({ host: upstream.hostname, port: Number(upstream.port), noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', () => this.socket.destroy());
    this.socket.on('close', () => this.onAnswer?.(null));
  }

  send(request: Buffer, onAnswer: (answer: Buffer | null) => void): void {
    this.onAnswer = onAnswer;
    this.socket.write(request);
  }

  private onData(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const headEnd = buf.indexOf(HEAD_END);
    const end =
      headEnd === -1 ? -1 : messageEnd(buf, headEnd, buf.toString('latin1', 0, headEnd).toLowerCase());
    if (end === -1) {
      this.pending = buf;
      return;
    }
    this.pending = null;
    const done = this.onAnswer;
    this.onAnswer = null;
    this.release(this);
    done?.(buf.subarray(0, end));
  }
}

const idle: UpstreamConnection[] = [];
const release = (conn: UpstreamConnection): void => {
  if (!conn.socket.destroyed) idle.push(conn);
};
const upstreamConnection = (): UpstreamConnection => {
  for (let conn = idle.pop(); conn; conn = idle.pop()) if (!conn.socket.destroyed) return conn;
  return new UpstreamConnection(release);
};

/** Rewrites the client's head: drops its credential, host and connection, adds a key and host. */
function upstreamHead(head: string): string {
  let out = '';
  let start = head.indexOf('\r\n') + 2;
  const requestLine = head.slice(0, start);
  while (start < head.length) {
    let end = head.indexOf('\r\n', start);
    if (end === -1) end = head.length;
    const line = head.slice(start, end);
    const name = line.slice(0, line.indexOf(':')).toLowerCase();
    if (name !== 'authorization' && name !== 'host' && name !== 'connection') out += `${line}\r\n`;
    start = end + 2;
  }
  return `${requestLine}host: ${upstream.host}\r\n${keys[nextKey++ % keys.length]}${out}\r\n`;
}

function serve(client: Socket): void {
  client.setNoDelay(true);
  let pending: Buffer | null = null;
  let busy = false;
  const drain = (): void => {
    while (pending && !busy) {
      const buf = pending;
      const headEnd = buf.indexOf(HEAD_END);
      if (headEnd === -1) return;
      const head = buf.toString('latin1', 0, headEnd);
      const end = messageEnd(buf, headEnd, head.toLowerCase());
      if (end === -1) return;
      pending = end < buf.length ? buf.subarray(end) : null;
      busy = true;
      const request = Buffer.concat([
        Buffer.from(upstreamHead(head), 'latin1'),
        buf.subarray(headEnd + 4, end),
      ]);
      upstreamConnection().send(request, (answer) => {
        busy = false;
        if (client.destroyed) return;
        client.write(answer ?? BAD_GATEWAY);
        drain();
      });
    }
  };
  client.on('data', (chunk: Buffer) => {
    pending = pending ? Buffer.concat([pending, chunk]) : chunk;
    drain();
  });
  client.on('error', () => client.destroy());
}

const server = createServer({ noDelay: true }, serve);
server.listen({ port: Number(values.port), host: '127.0.0.1', backlog: 4096 }, () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
