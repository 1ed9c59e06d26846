import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 answer read off a raw socket, after any interim (1xx) responses. */
export interface RawResponse {
  /** The final status; 0 when the server closed without a complete response head. */
  readonly status: number;
  /** Interim statuses received before the final one (`[100]` after `Expect: 100-continue`). */
  readonly interim: number[];
  /** The final response's status line and header lines. */
  readonly head: string;
  /** Header names in lower case (the last value of a repeated header). */
  readonly headers: Record<string, string>;
  /** The final response's body: cut at `Content-Length`, de-chunked when chunked. */
  readonly body: string;
  /** Every byte the server wrote, as latin1. */
  readonly raw: string;
  /** Milliseconds from the start (connecting, or `startedAt`) to the socket closing. */
  readonly closedAfterMs: number;
}

export interface RawRequestOptions {
  /** Sent after `head`: at once, or after the server's `100 Continue` with `awaitContinue`. */
  readonly body?: string | Buffer;
  /** Send `body` only once the server answered `100 Continue`, as curl does. */
  readonly awaitContinue?: boolean;
}

/** Opens a raw TCP connection to a gateway URL (`http://host:port`). */
export function rawConnect(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Reads what the server writes until it closes the connection, then parses the response.
 * Socket errors (a reset after the answer) end the read like a close.
 */
export function readUntilClose(socket: Socket, startedAt = performance.now()): Promise<RawResponse> {
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.once('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ ...parseResponse(raw), raw, closedAfterMs: performance.now() - startedAt });
    });
  });
}

/**
 * Sends bytes the fetch client cannot (`OPTIONS *`, absolute-form targets, framing conflicts,
 * `Expect`) on a fresh connection and reads until the server closes it (send `Connection: close`
 * unless the test waits for a timeout). With `body` and `awaitContinue`, the body is sent only
 * after the server's `100 Continue`.
 */
export async function rawRequest(
  url: string,
  head: string | Buffer,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const socket = await rawConnect(url);
  const answer = readUntilClose(socket);
  let bodySent = false;
  const sendBody = (): void => {
    if (bodySent || options.body === undefined || !socket.writable) return;
    bodySent = true;
    socket.write(options.body);
  };
  if (options.awaitContinue) {
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (/^HTTP\/1\.1 100 /.test(seen)) sendBody();
    });
  }
  socket.write(head);
  if (!options.awaitContinue) sendBody();
  return answer;
}

/** Splits off interim responses, then reads the final head and body. */
export function parseResponse(text: string): Omit<RawResponse, 'raw' | 'closedAfterMs'> {
  const interim: number[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(rest)?.[1] ?? 0);
    if (end === -1 || status === 0) return { status: 0, interim, head: '', headers: {}, body: rest };
    const head = rest.slice(0, end);
    rest = rest.slice(end + 4);
    if (status >= 100 && status < 200) {
      interim.push(status);
      continue;
    }
    const headers = headerMap(head);
    return { status, interim, head, headers, body: bodyOf(rest, headers) };
  }
}

function headerMap(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function bodyOf(rest: string, headers: Record<string, string>): string {
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') return dechunk(rest);
  const length = headers['content-length'];
  return length === undefined ? rest : rest.slice(0, Number(length));
}

/** A chunked body's data (latin1 text in, latin1 text out); stops at the last chunk or a cut. */
function dechunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd === -1) return out;
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
