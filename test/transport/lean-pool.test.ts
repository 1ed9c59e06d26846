import { setImmediate as settle } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LeanTransport } from '../../src/adapter/node/lean/transport';
import { testUpstream } from '../helpers/routing';
import { exchange, request, TRANSPORTS } from './exchange';
import { type ScriptedServer, startScripted } from './scripted-server';

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

describe('lean transport: the pool and what only it does', () => {
  let server: ScriptedServer;
  let transport: LeanTransport;
  beforeAll(async () => {
    server = await startScripted(async (_req, reply) => reply.send(OK, { byteByByte: false }));
  });
  afterAll(() => server.close());
  afterEach(() => transport?.close());
  const upstream = (extra: Record<string, unknown> = {}) =>
    testUpstream('up', { url: server.origin, ...extra });

  it('retires an idle connection when its keep-alive time is up', async () => {
    transport = TRANSPORTS.lean({ keepAliveTimeout: 50 });
    const up = upstream();
    const accepted = server.accepted();
    const closed = server.closedConnections(accepted + 1);
    expect((await exchange(transport, up)).body.toString()).toBe('ok');
    await closed;
    await vi.waitFor(() => expect(transport.connections(up)).toBe(0));
    expect((await exchange(transport, up)).body.toString()).toBe('ok');
    expect(server.accepted() - accepted).toBe(2);
  });

  it('retires a connection after maxRequestsPerSocket requests, and after keep-alive: max=0', async () => {
    transport = TRANSPORTS.lean({ maxRequestsPerSocket: 2 });
    const up = upstream();
    let accepted = server.accepted();
    for (let i = 0; i < 4; i++) await exchange(transport, up);
    expect(server.accepted() - accepted).toBe(2);
    server.script = async (_req, reply) =>
      reply.send('HTTP/1.1 200 OK\r\nkeep-alive: timeout=30, max=0\r\ncontent-length: 0\r\n\r\n', {
        byteByByte: false,
      });
    accepted = server.accepted();
    for (let i = 0; i < 2; i++) await exchange(transport, up);
    expect(server.accepted() - accepted).toBe(2);
    server.script = async (_req, reply) => reply.send(OK, { byteByByte: false });
  });

  it('closes an idle connection whose server sends bytes out of turn', async () => {
    transport = TRANSPORTS.lean();
    const up = upstream();
    let first = true;
    server.script = async (_req, reply) => {
      await reply.send(OK, { byteByByte: false });
      if (first)
        setTimeout(() => reply.socket.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nstale'), 20);
      first = false;
    };
    const accepted = server.accepted();
    const closed = server.closedConnections(server.accepted() + 1);
    expect((await exchange(transport, up)).body.toString()).toBe('ok');
    await closed;
    expect((await exchange(transport, up)).body.toString()).toBe('ok');
    expect(server.accepted() - accepted).toBe(2);
    server.script = async (_req, reply) => reply.send(OK, { byteByByte: false });
  });

  it('skips 100 Continue and accepts spaces before a chunk extension (RFC 9112 BWS)', async () => {
    transport = TRANSPORTS.lean();
    server.script = async (_req, reply) =>
      reply.send(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2 ;a=b\r\nok\r\n0\r\n\r\n',
      );
    const out = await exchange(transport, upstream());
    expect(out.events).toEqual(['start', 'head 200', 'data', 'end']);
    expect(out.body.toString()).toBe('ok');
    server.script = async (_req, reply) => reply.send(OK, { byteByByte: false });
  });

  it('streams a request body in chunked encoding, with backpressure from the socket', async () => {
    transport = TRANSPORTS.lean();
    const pieces = [Buffer.from('first '), Buffer.alloc(256 * 1024, 0x62), Buffer.from([0, 255, 13, 10])];
    async function* body() {
      for (const piece of pieces) {
        await settle();
        yield piece;
      }
    }
    const out = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      transport.dispatchStream(
        upstream(),
        { ...request({ method: 'POST' }), body: body() },
        {
          onStart: () => {},
          onHead: () => {},
          onData: (chunk) => chunks.push(Buffer.from(chunk)),
          onEnd: () => resolve(Buffer.concat(chunks).toString()),
          onError: reject,
        },
      );
    });
    expect(out).toBe('ok');
    const seen = server.requests.at(-1)!;
    expect(seen.chunked).toBe(true);
    expect(seen.head.toLowerCase()).not.toContain('content-length');
    expect(seen.body.equals(Buffer.concat(pieces))).toBe(true);
  });

  it('an abort while waiting for a connection takes the request off the queue: nothing is sent', async () => {
    transport = TRANSPORTS.lean();
    const up = upstream({ max_connections: 1 });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.script = async (_req, reply) => {
      await gate;
      await reply.send(OK, { byteByByte: false });
    };
    const before = server.requests.length;
    const first = exchange(transport, up);
    const errors: string[] = [];
    transport.dispatch(up, request({ path: '/aborted' }), {
      onStart: (controller) => controller.abort(new Error('gave up waiting')),
      onHead: () => errors.push('head'),
      onData: () => errors.push('data'),
      onEnd: () => errors.push('end'),
      onError: (err) => errors.push(err.message),
    });
    const second = exchange(transport, up, request({ path: '/second' }));
    release();
    expect((await first).body.toString()).toBe('ok');
    expect((await second).body.toString()).toBe('ok');
    expect(errors).toEqual(['gave up waiting']);
    expect(server.requests.slice(before).map((req) => req.head.split(' ')[1])).toEqual([
      '/v1/test',
      '/second',
    ]);
    server.script = async (_req, reply) => reply.send(OK, { byteByByte: false });
  });

  for (const name of ['undici', 'lean'] as const) {
    it(`${name}: a TLS handshake that never completes fails with the connect timeout code`, async () => {
      const t = TRANSPORTS[name]();
      try {
        const up = testUpstream('silent', {
          url: `https://127.0.0.1:${server.port}`,
          timeouts: { connect: 100 },
        });
        server.script = () => {};
        const out = await exchange(t, up);
        expect(out.events.at(-1)).toBe('error');
        expect(out.error?.code).toBe('UND_ERR_CONNECT_TIMEOUT');
      } finally {
        await t.close();
        server.script = async (_req, reply) => reply.send(OK, { byteByByte: false });
      }
    });
  }
});
