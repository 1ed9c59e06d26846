import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl } from '../helpers/closed-port';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, sendJson, startMock } from '../helpers/mock-upstream';

const TIMING = /^gateway;dur=\d+\.\d{2}(, upstream;dur=\d+\.\d{2})?$/;

async function post(url: string, headers: Record<string, string> = {}, body = '{"model":"gpt-4o"}') {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('Server-Timing', () => {
  let mock: MockUpstream;
  let gw: TestGateway;
  let closed: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      server: { auth_keys: ['sk-client-timing-0001'], max_body_size: 64 },
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-timing-01'] }],
    });
    closed = await startTestGateway({ upstreams: [{ name: 'gone', url: await closedPortUrl(), keys: [] }] });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await closed.stop(1000);
    await mock.close();
  });

  it('is on proxied answers, with both figures', async () => {
    const res = await post(gw.url, { authorization: 'Bearer sk-client-timing-0001' });
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/^gateway;dur=\d+\.\d{2}, upstream;dur=\d+\.\d{2}$/);
  });

  it('is on the gateway’s own errors: 401, 413, 400', async () => {
    const cases: [Record<string, string>, string, number][] = [
      [{}, '{"model":"gpt-4o"}', 401],
      [{ authorization: 'Bearer sk-client-timing-0001' }, 'x'.repeat(100), 413],
      [{ authorization: 'Bearer sk-client-timing-0001' }, '{not json', 400],
    ];
    for (const [headers, body, status] of cases) {
      const res = await post(gw.url, headers, body);
      expect(res.status).toBe(status);
      expect(res.headers.get('server-timing'), String(status)).toMatch(TIMING);
    }
  });

  it('is on a 502 after the upstream could not be reached, upstream time included', async () => {
    const res = await post(closed.url);
    expect(res.status).toBe(502);
    expect(res.headers.get('server-timing')).toMatch(/^gateway;dur=\d+\.\d{2}, upstream;dur=\d+\.\d{2}$/);
  });

  it('is on an upstream error passed through', async () => {
    mock.handle((_req, res) =>
      sendJson(res, 400, { error: { message: 'bad', type: 'invalid_request_error' } }),
    );
    const res = await post(gw.url, { authorization: 'Bearer sk-client-timing-0001' });
    expect(res.status).toBe(400);
    expect(res.headers.get('server-timing')).toMatch(TIMING);
  });
});
