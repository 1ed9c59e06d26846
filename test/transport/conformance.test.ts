import { setImmediate as settle } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Transport } from '../../src/proxy/transport';
import { testUpstream } from '../helpers/routing';
import { exchange, request, TRANSPORTS, type TransportName } from './exchange';
import { type ScriptedServer, startScripted } from './scripted-server';

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

/**
 * The same cases against both upstream clients over real sockets: a raw server answers with
 * scripted bytes, one byte per write, so every split of every response is read.
 */
describe.each(Object.keys(TRANSPORTS) as TransportName[])('transport conformance: %s', (name) => {
  let server: ScriptedServer;
  let transport: Transport;
  let upstream = testUpstream('up');

  beforeAll(async () => {
    server = await startScripted(async (_req, reply) => reply.send(OK));
  });
  afterAll(() => server.close());
  const fresh = (extra: Record<string, unknown> = {}) => {
    transport = TRANSPORTS[name]();
    upstream = testUpstream('up', { url: server.origin, ...extra });
    server.requests.length = 0;
  };
  afterEach(() => transport?.close());

  /** Connections accepted during the test. */
  const connectionsDuring = async (run: () => Promise<void>): Promise<number> => {
    const before = server.accepted();
    await run();
    return server.accepted() - before;
  };

  it('reads a content-length body and reuses the connection for the next request', async () => {
    fresh();
    server.script = async (_req, reply) =>
      reply.send('HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-a: 1\r\n\r\nhello');
    const opened = await connectionsDuring(async () => {
      for (let i = 0; i < 3; i++) {
        const out = await exchange(transport, upstream);
        expect(out.events).toEqual(['start', 'head 200', 'data', 'end']);
        expect(out.body.toString()).toBe('hello');
        expect(out.headers['x-a']).toBe('1');
        // undici's Pool opens another connection for a request dispatched inside the last one's end.
        await settle();
      }
    });
    expect(opened).toBe(1);
    expect(server.maxOutstanding()).toBe(1);
  });

  it('decodes chunked bodies with extensions and trailers, then reuses the connection', async () => {
    fresh();
    server.script = async (_req, reply) =>
      reply.send(
        'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntrailer: x-t\r\n\r\n' +
          '5;ext=1;name="v a"\r\nhello\r\n6;x\r\n world\r\nA\r\n0123456789\r\n0\r\nx-t: done\r\nx-u: 2\r\n\r\n',
      );
    const opened = await connectionsDuring(async () => {
      for (let i = 0; i < 2; i++) {
        const out = await exchange(transport, upstream);
        expect(out.error).toBeUndefined();
        expect(out.body.toString()).toBe('hello world0123456789');
        await settle();
      }
    });
    expect(opened).toBe(1);
  });

  it('reads a close-delimited body to the end of the connection, and never reuses it', async () => {
    fresh();
    server.script = async (_req, reply) => {
      await reply.send('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the end');
      reply.socket.end();
    };
    const opened = await connectionsDuring(async () => {
      for (let i = 0; i < 2; i++) {
        const out = await exchange(transport, upstream);
        expect(out.events).toEqual(['start', 'head 200', 'data', 'end']);
        expect(out.body.toString()).toBe('until the end');
      }
    });
    expect(opened).toBe(2);
  });

  it('skips 1xx heads and delivers the final one', async () => {
    fresh();
    server.script = async (_req, reply) =>
      reply.send(
        'HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </style.css>\r\n\r\n' +
          'HTTP/1.1 201 Created\r\ncontent-length: 4\r\n\r\ndone',
      );
    const out = await exchange(transport, upstream);
    expect(out.events).toEqual(['start', 'head 201', 'data', 'end']);
    expect(out.body.toString()).toBe('done');
    expect(out.headers.link).toBeUndefined();
  });

  it('refuses a 101 switch of protocols the request never asked for', async () => {
    fresh();
    server.script = async (_req, reply) =>
      reply.send('HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n');
    const out = await exchange(transport, upstream);
    expect(out.events).toEqual(['start', 'error']);
  });

  it('reads no body after HEAD, 204 and 304, and the next answer on the same connection is intact', async () => {
    fresh();
    const answers: Record<string, string> = {
      '/head': 'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n',
      '/204': 'HTTP/1.1 204 No Content\r\n\r\n',
      '/304': 'HTTP/1.1 304 Not Modified\r\netag: "x"\r\n\r\n',
      '/next': 'HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nnext',
    };
    server.script = async (req, reply) => reply.send(answers[req.head.split(' ')[1]!]!);
    const opened = await connectionsDuring(async () => {
      const head = await exchange(transport, upstream, request({ method: 'HEAD', path: '/head' }));
      expect(head.events).toEqual(['start', 'head 200', 'end']);
      expect(head.headers['content-length']).toBe('100');
      await settle();
      for (const [path, status] of [
        ['/204', 204],
        ['/304', 304],
      ] as const) {
        const out = await exchange(transport, upstream, request({ path }));
        expect(out.events).toEqual(['start', `head ${status}`, 'end']);
        await settle();
      }
      const next = await exchange(transport, upstream, request({ path: '/next' }));
      expect(next.body.toString()).toBe('next');
    });
    // undici closes the connection after HEAD (against servers that send a body anyway).
    expect(opened).toBe(name === 'lean' ? 1 : 3);
  });

  it('retires a connection after connection: close, and after a keep-alive timeout too short to use', async () => {
    fresh();
    const heads = ['connection: close', 'keep-alive: timeout=1'];
    for (const extra of heads) {
      server.script = async (_req, reply) =>
        reply.send(`HTTP/1.1 200 OK\r\n${extra}\r\ncontent-length: 2\r\n\r\nok`);
      const opened = await connectionsDuring(async () => {
        expect((await exchange(transport, upstream)).body.toString()).toBe('ok');
        await settle();
        expect((await exchange(transport, upstream)).body.toString()).toBe('ok');
      });
      expect(opened, extra).toBe(2);
    }
  });

  it('never pipelines: concurrent requests take their own connections', async () => {
    fresh();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.script = async (_req, reply) => {
      if (server.requests.length === 3) release();
      await gate;
      await reply.send(OK, { byteByByte: false });
    };
    const opened = await connectionsDuring(async () => {
      const outs = await Promise.all([1, 2, 3].map(() => exchange(transport, upstream)));
      expect(outs.map((out) => out.body.toString())).toEqual(['ok', 'ok', 'ok']);
    });
    expect(opened).toBe(3);
    expect(server.maxOutstanding()).toBe(1);
  });

  it('holds to max_connections per origin: requests past the cap wait their turn', async () => {
    fresh({ max_connections: 1 });
    server.script = async (_req, reply) => reply.send(OK, { byteByByte: false });
    const opened = await connectionsDuring(async () => {
      const outs = await Promise.all([1, 2, 3, 4].map(() => exchange(transport, upstream)));
      expect(outs.map((out) => out.body.toString())).toEqual(['ok', 'ok', 'ok', 'ok']);
    });
    expect(opened).toBe(1);
    expect(new Set(server.requests.map((req) => req.connection)).size).toBe(1);
  });

  it('times out a silent head and a silent body with the timeout codes the proxy knows', async () => {
    fresh();
    server.script = () => {};
    const head = await exchange(transport, upstream, request({ headersTimeout: 100 }));
    expect(head.error?.code).toBe('UND_ERR_HEADERS_TIMEOUT');
    server.script = async (_req, reply) =>
      reply.send('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf', { byteByByte: false });
    const body = await exchange(transport, upstream, request({ bodyTimeout: 100 }));
    expect(body.events).toEqual(['start', 'head 200', 'data', 'error']);
    expect(body.error?.code).toBe('UND_ERR_BODY_TIMEOUT');
  });

  it('reports a body cut short by the server as an error, and a refused connection with its code', async () => {
    fresh();
    server.script = async (_req, reply) => {
      await reply.send('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf');
      reply.socket.destroy();
    };
    const cut = await exchange(transport, upstream);
    expect(cut.events).toEqual(['start', 'head 200', 'data', 'error']);
    const closed = testUpstream('gone', { url: 'http://127.0.0.1:1' });
    const refused = await exchange(transport, closed);
    expect(refused.error?.code).toBe('ECONNREFUSED');
  });

  it('keeps repeated response headers as a list, names in lower case', async () => {
    fresh();
    server.script = async (_req, reply) =>
      reply.send(
        'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nX-Dup: one\r\nx-dup: two\r\nContent-Length: 0\r\n\r\n',
      );
    const out = await exchange(transport, upstream);
    expect(out.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(out.headers['x-dup']).toEqual(['one', 'two']);
    expect(out.headers['content-length']).toBe('0');
  });

  it('sends binary and multipart bodies byte for byte with their length, and the headers as given', async () => {
    fresh();
    server.script = async (_req, reply) => reply.send(OK, { byteByByte: false });
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
    await exchange(
      transport,
      upstream,
      request({ method: 'POST', body: binary, headers: ['X-Case', 'Kept'] }),
    );
    const boundary = '----switchyard7f3a';
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`),
      binary,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const type = `multipart/form-data; boundary=${boundary}`;
    await exchange(
      transport,
      upstream,
      request({ method: 'POST', body: multipart, headers: ['content-type', type] }),
    );
    const [first, second] = server.requests;
    expect(first!.body.equals(binary)).toBe(true);
    expect(first!.head).toContain('\r\nX-Case: Kept');
    expect(first!.head.toLowerCase()).toContain('\r\ncontent-length: 4096');
    expect(second!.body.equals(multipart)).toBe(true);
    expect(second!.head).toContain(`content-type: ${type}`);
    expect(first!.head.toLowerCase()).toContain(`\r\nhost: 127.0.0.1:${server.port}`);
  });

  it('pauses reading on backpressure and delivers every byte after resume', async () => {
    fresh();
    const total = 16 * 1024 * 1024;
    let serverBlocked: () => void = () => {};
    const blocked = new Promise<void>((resolve) => {
      serverBlocked = resolve;
    });
    server.script = async (_req, reply) => {
      reply.socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${total}\r\n\r\n`);
      const piece = Buffer.alloc(64 * 1024, 0x61);
      for (let sent = 0; sent < total; sent += piece.length) {
        if (!reply.socket.write(piece)) {
          serverBlocked();
          await new Promise((resolve) => reply.socket.once('drain', resolve));
        }
      }
    };
    let paused = false;
    let receivedWhilePaused = 0;
    const out = await exchange(transport, upstream, request(), {
      onData: (controller, _chunk, received) => {
        if (paused) return;
        paused = true;
        controller.pause();
        void blocked.then(() => {
          receivedWhilePaused = received;
          controller.resume();
        });
      },
    });
    expect(out.error).toBeUndefined();
    expect(out.body.length).toBe(total);
    expect(receivedWhilePaused).toBeLessThan(total);
  });

  it('an abort destroys the connection instead of returning it to the pool', async () => {
    fresh();
    server.script = async (req, reply) => {
      if (req.head.startsWith('GET /stream')) {
        await reply.send('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n', {
          byteByByte: false,
        });
        return;
      }
      await reply.send(OK, { byteByByte: false });
    };
    const closedBefore = server.accepted();
    const out = await exchange(transport, upstream, request({ path: '/stream' }), {
      onData: (controller) => controller.abort(new Error('client went away')),
    });
    expect(out.events).toEqual(['start', 'head 200', 'data', 'error']);
    expect(out.error?.message).toBe('client went away');
    await server.closedConnections(closedBefore + 1);
    const next = await exchange(transport, upstream);
    expect(next.body.toString()).toBe('ok');
    expect(server.requests.at(-1)!.connection).not.toBe(server.requests.at(-2)!.connection);
  });

  it('does not let bytes after an answer become the next answer', async () => {
    fresh();
    let calls = 0;
    server.script = async (_req, reply) => {
      calls++;
      if (calls === 1)
        await reply.send(`${OK}HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nstale`, { byteByByte: false });
      else await reply.send('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfresh', { byteByByte: false });
    };
    const first = await exchange(transport, upstream);
    const second = await exchange(transport, upstream);
    expect(second.body.toString()).not.toBe('stale');
    if (first.error === undefined) expect(first.body.toString()).toBe('ok');
  });

  const malformed: Record<string, string> = {
    'an invalid status line': 'HTTP/1.1 2000 OK\r\ncontent-length: 0\r\n\r\n',
    'obsolete line folding': 'HTTP/1.1 200 OK\r\nx-a: 1\r\n folded\r\ncontent-length: 0\r\n\r\n',
    'space before the colon': 'HTTP/1.1 200 OK\r\nx-a : 1\r\ncontent-length: 0\r\n\r\n',
    'two different content-lengths': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nokk',
    'an invalid content-length': 'HTTP/1.1 200 OK\r\ncontent-length: 2x\r\n\r\nok',
    'transfer-encoding with content-length':
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 2\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    'an invalid chunk size': 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n',
    'a chunk without its CRLF': 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n',
    'a NUL in a header value': 'HTTP/1.1 200 OK\r\nx-a: a\0b\r\ncontent-length: 0\r\n\r\n',
    'a head over 16 KiB': `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(17 * 1024)}\r\ncontent-length: 0\r\n\r\n`,
  };
  for (const [what, bytes] of Object.entries(malformed)) {
    it(`refuses a response with ${what}, and the next request gets a clean connection`, async () => {
      fresh();
      let calls = 0;
      server.script = async (_req, reply) => {
        calls++;
        await reply.send(calls === 1 ? bytes : OK, {
          byteByByte: what.includes('16 KiB') ? false : undefined,
        });
      };
      const bad = await exchange(transport, upstream);
      expect(bad.events.at(-1)).toBe('error');
      const next = await exchange(transport, upstream);
      expect(next.body.toString()).toBe('ok');
      expect(server.requests[1]!.connection).not.toBe(server.requests[0]!.connection);
    });
  }
});
