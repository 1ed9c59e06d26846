import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 answer read off a raw socket. */
export interface RawResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Milliseconds from connecting to the socket closing. */
  readonly closedAfterMs: number;
}

/** Opens a raw TCP connection to a gateway URL (`http://host:port`). */
export function rawConnect(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Reads what the server writes until it closes the connection, then parses the first response.
 * Resolves with status 0 when the server closed without answering.
 */
export function readUntilClose(socket: Socket, startedAt = performance.now()): Promise<RawResponse> {
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      resolve({
        ...parseResponse(Buffer.concat(chunks).toString('latin1')),
        closedAfterMs: performance.now() - startedAt,
      });
    });
  });
}

/** Sends `text` as is (a request fetch would refuse to send) and reads the answer until close. */
export async function rawRequest(url: string, text: string): Promise<RawResponse> {
  const socket = await rawConnect(url);
  const started = performance.now();
  const answer = readUntilClose(socket, started);
  socket.write(text);
  return answer;
}

function parseResponse(text: string): Omit<RawResponse, 'closedAfterMs'> {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.1 ') || end === -1) return { status: 0, headers: {}, body: text };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = text.slice(end + 4);
  const length = headers['content-length'];
  return {
    status: Number(statusLine!.split(' ')[1]),
    headers,
    body: length === undefined ? rest : rest.slice(0, Number(length)),
  };
}
