import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  chatCompletion,
  chunkEvent,
  type MockUpstream,
  replyChat,
  sendJson,
  signal,
  startMock,
  startSse,
} from '../helpers/mock-upstream';

const KEY = 'sk-sy-alice-0123456789abcdef';
const T0 = Date.UTC(2026, 5, 1, 12);

function chat(gw: TestGateway, body: object = {}, key: string | undefined = KEY, init: RequestInit = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...body }),
    ...init,
  });
}

describe('limits', () => {
  let mock: MockUpstream;
  let gw: TestGateway;
  let now = T0;

  async function start(config: object, handler = replyChat()) {
    now = T0;
    mock = await startMock(handler);
    gw = await startTestGateway(
      { upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-0001'] }], ...config },
      { now: () => now },
    );
  }

  afterEach(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  it('answers over the RPM limit with 429, Retry-After and OpenAI headers, and recovers as time passes', async () => {
    await start({ clients: [{ name: 'alice', key: KEY, limits: { rpm: 2 } }] });
    const first = await chat(gw);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toBe('30s');
    expect((await chat(gw)).headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const refused = await chat(gw);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.headers.get('retry-after-ms')).toBe('30000');
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(await errorOf(refused)).toMatchObject({
      code: 'rate_limit_exceeded',
      type: 'rate_limit_error',
    });
    expect(mock.requests.length).toBe(2);
    now += 29_999;
    expect((await chat(gw)).status).toBe(429);
    now += 1;
    expect((await chat(gw)).status).toBe(200);
    now += 60_000;
    expect((await chat(gw)).headers.get('x-ratelimit-remaining-requests')).toBe('1');
  });

  it('reserves the token estimate before the call and reconciles with the real count after', async () => {
    const release = signal();
    await start(
      { clients: [{ name: 'alice', key: KEY, limits: { rpm: 100, tpm: 1000 } }] },
      async (req, res) => {
        if (req.n === 0) await release.promise;
        sendJson(res, 200, chatCompletion('gpt-4o', 'ok'));
      },
    );
    const held = chat(gw, { max_tokens: 900 });
    await vi.waitFor(() => expect(mock.requests.length).toBe(1));
    const refused = await chat(gw, { max_tokens: 900 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    expect(Number(refused.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(100);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('99');
    release.fire();
    expect((await held).status).toBe(200);
    const after = await chat(gw, { max_tokens: 900 });
    expect(after.status).toBe(200);
    const remaining = Number(after.headers.get('x-ratelimit-remaining-tokens'));
    expect(remaining).toBe(1000 - 12 - (900 + 1 + 3));
  });

  it('releases a concurrency slot when the client aborts', async () => {
    const sawStream = signal();
    await start({ clients: [{ name: 'alice', key: KEY, limits: { concurrency: 1 } }] }, async (req, res) => {
      if (req.n > 0) return sendJson(res, 200, chatCompletion('gpt-4o', 'ok'));
      startSse(res);
      res.write(chunkEvent('gpt-4o', 'partial'));
      sawStream.fire();
      await req.aborted;
    });
    const abort = new AbortController();
    const streaming = await chat(gw, { stream: true }, KEY, { signal: abort.signal });
    await sawStream.promise;
    const busy = await chat(gw);
    expect(busy.status).toBe(429);
    expect((await errorOf(busy)).code).toBe('concurrency_limit_exceeded');
    abort.abort();
    await streaming.body?.cancel().catch(() => {});
    await mock.requests[0]!.aborted;
    await vi.waitFor(() => expect(gw.gateway.inFlight).toBe(0));
    expect((await chat(gw)).status).toBe(200);
  });

  it('blocks an address over the per-IP limit for the block time', async () => {
    await start({ ip_limit: { requests: 3, window: '60s', block: '300s' } });
    for (let i = 0; i < 3; i++) expect((await chat(gw, {}, undefined)).status).toBe(200);
    const blocked = await chat(gw, {}, undefined);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('300');
    now += 200_000;
    expect((await chat(gw, {}, undefined)).headers.get('retry-after')).toBe('100');
    now += 100_000;
    expect((await chat(gw, {}, undefined)).status).toBe(200);
    expect(mock.requests.length).toBe(4);
  });

  it('skips upstream keys at their own limit and answers 429 when every key is', async () => {
    now = T0;
    mock = await startMock(replyChat());
    gw = await startTestGateway(
      {
        upstreams: [
          {
            name: 'mock',
            url: mock.url,
            keys: ['sk-upstream-0001', 'sk-upstream-0002'],
            key_limits: { rpm: 1 },
          },
        ],
      },
      { now: () => now },
    );
    expect((await chat(gw, {}, undefined)).status).toBe(200);
    now += 10_000;
    expect((await chat(gw, {}, undefined)).status).toBe(200);
    const refused = await chat(gw, {}, undefined);
    expect(refused.status).toBe(429);
    expect((await errorOf(refused)).code).toBe('all_keys_rate_limited');
    expect(refused.headers.get('retry-after')).toBe('50');
    expect(mock.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer sk-upstream-0001',
      'Bearer sk-upstream-0002',
    ]);
    now += 50_000;
    const again = await chat(gw, {}, undefined);
    expect(again.status).toBe(200);
    expect(mock.requests.at(-1)!.headers.authorization).toBe('Bearer sk-upstream-0001');
  });
});
