import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway';
import { chunkEvent, replyChat, signal, startMock, startSse } from '../helpers/mock-upstream';

describe('operations', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('answers CORS preflights and marks responses for allowed origins', async () => {
    const mock = await startMock(replyChat());
    const gw = await startTestGateway({
      server: { cors: { origins: ['https://app.example'] } },
      upstreams: [{ name: 'm', url: mock.url, keys: ['sk-cors-key-00001'] }],
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    const preflight = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(mock.requests).toHaveLength(0);
    const denied = await fetch(`${gw.url}/v1/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(denied.status).toBe(403);
    const real = await fetch(`${gw.url}/v1/models`, { headers: { origin: 'https://app.example' } });
    expect(real.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(real.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('reports readiness per upstream on /health', async () => {
    const mock = await startMock(replyChat());
    const gw = await startTestGateway({
      upstreams: [
        { name: 'a', url: mock.url, keys: ['sk-health-key-0001', 'sk-health-key-0002'] },
        { name: 'off', url: mock.url, keys: [], enabled: false },
      ],
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    const health = await (await fetch(`${gw.url}/health`)).json();
    expect(health).toEqual({
      status: 'ok',
      ready: true,
      upstreams: [
        { name: 'a', usable: true, keys: { total: 2, usable: 2 } },
        { name: 'off', usable: false, keys: { total: 0, usable: 0 } },
      ],
      routes: ['default'],
    });
  });

  it('logs one structured line per request with the key masked', async () => {
    const mock = await startMock(replyChat());
    const gw = await startTestGateway({
      upstreams: [{ name: 'm', url: mock.url, keys: ['sk-logged-key-abcd1234'] }],
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    await gw
      .client()
      .chat.completions.create({ model: 'gpt-x', messages: [] }, { headers: { 'user-agent': 'test-agent' } });
    const lines = gw.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
      upstream: 'm',
      key: 'sk-...1234',
      model: 'gpt-x',
      client_ip: '127.0.0.1',
      req_id: expect.any(String),
      duration_ms: expect.any(Number),
      ttfb_ms: expect.any(Number),
    });
    expect(gw.logs.join('\n')).not.toContain('sk-logged-key-abcd1234');
  });

  it('drains in-flight streams on stop and refuses new connections', async () => {
    const release = signal();
    const started = signal();
    const mock = await startMock(async (_req, res) => {
      startSse(res);
      res.write(chunkEvent('m', 'a'));
      started.fire();
      await release.promise;
      res.end('data: [DONE]\n\n');
    });
    const gw = await startTestGateway({
      upstreams: [{ name: 'm', url: mock.url, keys: ['sk-drain-key-00001'] }],
    });
    cleanup.push(mock.close);
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true }),
    });
    await started.promise;
    let stopped = false;
    const stopping = gw.stop(5000).then(() => {
      stopped = true;
    });
    await expect.poll(() => gw.gateway.draining).toBe(true);
    await expect(fetch(`${gw.url}/health`)).rejects.toThrow();
    expect(stopped).toBe(false);
    release.fire();
    const text = await response.text();
    expect(text).toContain('[DONE]');
    await stopping;
    expect(stopped).toBe(true);
  });
});
