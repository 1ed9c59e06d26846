import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { parseMetrics } from '../helpers/prometheus';
import { rawConnect } from '../helpers/raw-http';

describe('a client that aborts its upload', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-000000000001'] }],
    });
  });
  afterAll(async () => {
    await gw.stop();
    await mock.close();
  });

  it('is a 499 client_cancelled, logged at info without a stack trace', async () => {
    const socket = await rawConnect(gw.url);
    const head = 'POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n';
    socket.write(`${head}Content-Length: 1000\r\n\r\n{"model":"gpt-4o"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    const deadline = Date.now() + 2000;
    while (!gw.logs.some((line) => line.includes('"msg":"request"')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const lines = gw.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const request = lines.find((line) => line.msg === 'request');
    expect(request).toMatchObject({
      level: 30,
      status: 499,
      verdict: 'client_cancelled',
      path: '/v1/chat/completions',
    });
    expect(lines.filter((line) => (line.level as number) >= 40)).toEqual([]);
    expect(gw.logs.join('')).not.toContain('stack');
    expect(mock.requests).toHaveLength(0);
    const metrics = parseMetrics((await admin(gw.url, 'GET', '/metrics')).text);
    expect(
      metrics.sample('switchyard_requests_total', {
        route: 'none',
        upstream: 'none',
        status: '499',
        verdict: 'client_cancelled',
      }),
    ).toBe('1');
  });
});
