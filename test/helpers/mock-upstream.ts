import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the mock upstream saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Index of this request among all the mock has seen (0-based). */
  readonly n: number;
  /** Resolves when the connection carrying this request closed before the response finished. */
  readonly aborted: Promise<void>;
  json<T = Record<string, unknown>>(): T;
}

export type MockHandler = (req: SeenRequest, res: ServerResponse) => void | Promise<void>;

export interface MockUpstream {
  readonly url: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  /** Replaces the scripted behaviour. */
  handle(handler: MockHandler): void;
  close(): Promise<void>;
}

/** A scripted upstream on a real socket, port 0 (undici's test habit: `switch (req.n)`). */
export async function startMock(handler: MockHandler = replyChat()): Promise<MockUpstream> {
  let current = handler;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let markAborted: () => void = () => {};
    const aborted = new Promise<void>((resolve) => {
      markAborted = resolve;
    });
    res.on('close', () => {
      if (!res.writableFinished) markAborted();
    });
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body,
        n: requests.length,
        aborted,
        json: <T>() => JSON.parse(body.toString('utf8')) as T,
      };
      requests.push(seen);
      Promise.resolve(current(seen, res)).catch((err: unknown) => {
        res.destroy(err as Error);
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function chatCompletion(model: string, content: string) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  };
}

/**
 * How `replyChat` names the credential it was sent: reversed, because the gateway masks its own
 * secrets in the answers it holds, and a test still needs to tell which key served.
 */
export function keyEcho(authorization: string): string {
  return `key=${[...authorization].reverse().join('')}`;
}

/** Replies to every request with a chat completion naming the key it was sent with (`keyEcho`). */
export function replyChat(): MockHandler {
  return (req, res) => {
    const model = req.body.length > 0 ? (req.json().model as string) : 'none';
    sendJson(res, 200, chatCompletion(model, keyEcho(req.headers.authorization ?? '')));
  };
}

export function chunkEvent(model: string, content: string): string {
  const chunk = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
}

/** An event that fires once: for "the mock saw X" without sleeping. */
export function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}
