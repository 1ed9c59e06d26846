import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { parseMetrics } from '../helpers/prometheus';
import { rawConnect, rawRequest, readUntilClose } from '../helpers/raw-http';

const BODY = '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}';

/** Writes `piece` every `everyMs` until the socket closes. */
function drip(socket: Socket, piece: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (socket.writable) socket.write(piece);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

function postHead(length: number): string {
  return `POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
}

describe('slow clients are cut off with 408 and counted', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      server: { timeouts: { headers: '200ms', body_idle: '150ms', body: '400ms', keep_alive: '150ms' } },
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-000000000001'] }],
    });
  });
  afterAll(async () => {
    await gw.stop();
    await mock.close();
  });

  it('headers sent one line at a time (slowloris) are cut at server.timeouts.headers', async () => {
    const socket = await rawConnect(gw.url);
    const answer = readUntilClose(socket);
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n');
    drip(socket, 'X-Drip: 1\r\n', 40);
    const { status, body, closedAfterMs } = await answer;
    expect(status).toBe(408);
    expect(JSON.parse(body)).toEqual({
      error: {
        message: 'The client did not send the request in time.',
        type: 'timeout_error',
        param: null,
        code: 'request_timeout',
      },
    });
    expect(closedAfterMs).toBeLessThan(2000);
    expect(mock.requests).toHaveLength(0);
  });

  it('a body dripping a byte at a time is cut at server.timeouts.body', async () => {
    const socket = await rawConnect(gw.url);
    const answer = readUntilClose(socket);
    socket.write(postHead(BODY.length));
    drip(socket, ' ', 50);
    const { status, body, closedAfterMs } = await answer;
    expect(status).toBe(408);
    expect(JSON.parse(body).error).toMatchObject({ code: 'request_timeout' });
    expect(JSON.parse(body).error.message).toContain('server.timeouts.body)');
    expect(closedAfterMs).toBeGreaterThanOrEqual(350);
    expect(closedAfterMs).toBeLessThan(2000);
    expect(mock.requests).toHaveLength(0);
  });

  it('a body that stops is cut at server.timeouts.body_idle', async () => {
    const socket = await rawConnect(gw.url);
    const answer = readUntilClose(socket);
    socket.write(postHead(BODY.length) + BODY.slice(0, 10));
    const { status, body } = await answer;
    expect(status).toBe(408);
    expect(JSON.parse(body).error.message).toContain('server.timeouts.body_idle');
  });

  it('an idle keep-alive connection is closed at server.timeouts.keep_alive', async () => {
    const socket = await rawConnect(gw.url);
    const answer = readUntilClose(socket);
    socket.write('GET /health HTTP/1.1\r\nHost: gw\r\n\r\n');
    const { status, closedAfterMs } = await answer;
    expect(status).toBe(200);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  it('a complete request within the deadlines is served', async () => {
    const answer = await rawRequest(
      gw.url,
      `${postHead(BODY.length).replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')}${BODY}`,
    );
    expect(answer.status).toBe(200);
  });

  it('counts every cut in switchyard_client_errors_total', async () => {
    const metrics = parseMetrics((await admin(gw.url, 'GET', '/metrics')).text);
    expect(metrics.sample('switchyard_client_errors_total', { reason: 'headers_timeout' })).toBe('1');
    expect(metrics.sample('switchyard_client_errors_total', { reason: 'body_timeout' })).toBe('1');
    expect(metrics.sample('switchyard_client_errors_total', { reason: 'body_idle_timeout' })).toBe('1');
    expect(
      metrics.sample('switchyard_requests_total', {
        route: 'none',
        upstream: 'none',
        status: '408',
        verdict: 'rejected',
      }),
    ).toBe('2');
  });
});

describe('connection caps', () => {
  it('answers 503 too_many_connections past server.max_connections_per_ip and server.max_connections', async () => {
    const gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      server: { max_connections_per_ip: 2, timeouts: { keep_alive: '5s' } },
      upstreams: [{ name: 'mock', url: 'http://127.0.0.1:9', keys: ['sk-upstream-000000000001'] }],
    });
    const open: Socket[] = [];
    try {
      open.push(await rawConnect(gw.url), await rawConnect(gw.url));
      const third = await rawRequest(gw.url, 'GET /health HTTP/1.1\r\nHost: gw\r\n\r\n');
      expect(third.status).toBe(503);
      expect(JSON.parse(third.body).error).toMatchObject({
        code: 'too_many_connections',
        type: 'service_unavailable',
      });
      expect(JSON.parse(third.body).error.message).toContain('server.max_connections_per_ip');
      open.pop()!.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const after = await rawRequest(gw.url, 'GET /health HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n');
      expect(after.status).toBe(200);

      gw.gateway.applyConfig({
        ...gw.gateway.runtime.config,
        server: { ...gw.gateway.runtime.config.server, max_connections: 1, max_connections_per_ip: 0 },
      });
      const overall = await rawRequest(gw.url, 'GET /health HTTP/1.1\r\nHost: gw\r\n\r\n');
      expect(overall.status).toBe(503);
      expect(JSON.parse(overall.body).error.message).toContain('server.max_connections)');
      const metrics = parseMetrics(
        (
          await (async () => {
            for (const s of open) s.destroy();
            await new Promise((resolve) => setTimeout(resolve, 50));
            return admin(gw.url, 'GET', '/metrics');
          })()
        ).text,
      );
      expect(metrics.sample('switchyard_client_errors_total', { reason: 'max_connections_per_ip' })).toBe(
        '1',
      );
      expect(metrics.sample('switchyard_client_errors_total', { reason: 'max_connections' })).toBe('1');
    } finally {
      for (const s of open) s.destroy();
      await gw.stop();
    }
  });
});

describe('requests Node refuses itself get the OpenAI error shape', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ upstreams: [{ name: 'mock', url: 'http://127.0.0.1:9' }] });
  });
  afterAll(async () => {
    await gw.stop();
  });

  it.each([
    ['GARBAGE\r\n\r\n', 400, 'bad_request'],
    ['GET evil.example:443 HTTP/1.1\r\nHost: gw\r\n\r\n', 400, 'bad_request'],
    [
      'GET / HTTP/1.1\r\nHost: gw\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
      400,
      'bad_request',
    ],
    [`GET / HTTP/1.1\r\nHost: gw\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
  ])('%#: %s… → %i %s', async (text, status, code) => {
    const answer = await rawRequest(gw.url, text);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/json');
    const { error } = JSON.parse(answer.body);
    expect(error).toEqual({ message: expect.any(String), type: 'invalid_request_error', param: null, code });
  });
});
