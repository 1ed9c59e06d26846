import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  chatCompletion,
  chunkEvent,
  type MockHandler,
  type MockUpstream,
  sendJson,
  startMock,
  startSse,
} from '../helpers/mock-upstream';

const ALICE = 'sk-alice-token-000000000001';
const BOB = 'sk-bob-token-0000000000000002';

/** Answers each request with its number, so a cached answer shows which request made it. */
const numbered: MockHandler = (req, res) => sendJson(res, 200, chatCompletion('gpt-4o', `answer ${req.n}`));

interface Reply {
  readonly status: number;
  readonly cache: string | null;
  readonly text: string;
}

async function chat(gw: TestGateway, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, cache: res.headers.get('x-switchyard-cache'), text: await res.text() };
}

const HELLO = { model: 'gpt-4o', temperature: 0, messages: [{ role: 'user', content: 'hello' }] };

describe('the response cache', () => {
  let gw: TestGateway | undefined;
  let mock: MockUpstream | undefined;
  afterEach(async () => {
    await gw?.stop(100);
    await mock?.close();
    gw = undefined;
  });

  async function start(extra: Partial<ConfigInput>, handler: MockHandler = numbered, now?: () => number) {
    mock = await startMock(handler);
    gw = await startTestGateway(
      {
        admin: { key: ADMIN_KEY },
        upstreams: [{ name: 'u', url: mock.url, keys: ['sk-up-0001'] }],
        ...extra,
      },
      now ? { now } : {},
    );
    return gw;
  }

  it('misses, then hits on the same request (object keys in any order), and stays off by default', async () => {
    await start({ cache: { enabled: true } });
    const first = await chat(gw!, HELLO);
    expect(first.cache).toBe('miss');
    const second = await chat(
      gw!,
      '{"messages":[{"content":"hello","role":"user"}],"temperature":0,"model":"gpt-4o"}',
    );
    expect(second).toEqual({ status: 200, cache: 'hit', text: first.text });
    expect(JSON.parse(second.text).choices[0].message.content).toBe('answer 0');
    const other = await chat(gw!, { ...HELLO, temperature: 1 });
    expect(other.cache).toBe('miss');
    expect(mock!.requests).toHaveLength(2);
    await gw!.stop(100);
    await mock!.close();
    await start({});
    expect((await chat(gw!, HELLO)).cache).toBeNull();
    expect((await chat(gw!, HELLO)).cache).toBeNull();
    expect(mock!.requests).toHaveLength(2);
  });

  it('is bypassed by Cache-Control: no-cache or no-store, which neither reads nor stores', async () => {
    await start({ routes: [{ name: 'chat', upstreams: ['u'], cache: true }] });
    expect((await chat(gw!, HELLO, { 'cache-control': 'no-store' })).cache).toBe('bypass');
    expect((await chat(gw!, HELLO)).cache).toBe('miss');
    const fresh = await chat(gw!, HELLO, { 'cache-control': 'no-cache' });
    expect(fresh.cache).toBe('bypass');
    expect(JSON.parse(fresh.text).choices[0].message.content).toBe('answer 2');
    expect((await chat(gw!, HELLO)).cache).toBe('hit');
    expect(mock!.requests).toHaveLength(3);
  });

  it('keeps entries per client token with scope: client, and shares them with scope: global', async () => {
    const clients = [
      { name: 'alice', key: ALICE },
      { name: 'bob', key: BOB },
    ];
    await start({ cache: { enabled: true }, clients });
    const as = (key: string) => ({ authorization: `Bearer ${key}` });
    expect((await chat(gw!, HELLO, as(ALICE))).cache).toBe('miss');
    expect((await chat(gw!, HELLO, as(ALICE))).cache).toBe('hit');
    const bob = await chat(gw!, HELLO, as(BOB));
    expect(bob.cache).toBe('miss');
    expect(JSON.parse(bob.text).choices[0].message.content).toBe('answer 1');
    await gw!.stop(100);
    await mock!.close();
    await start({ cache: { enabled: true, scope: 'global' }, clients });
    expect((await chat(gw!, HELLO, as(ALICE))).cache).toBe('miss');
    expect((await chat(gw!, HELLO, as(BOB))).cache).toBe('hit');
  });

  it('forgets an entry after its ttl (a route may shorten it), by the injected clock', async () => {
    let now = Date.UTC(2026, 0, 1);
    await start(
      {
        cache: { enabled: true, ttl: '10m' },
        routes: [{ name: 'chat', upstreams: ['u'], cache: { ttl: '30s' } }],
      },
      numbered,
      () => now,
    );
    expect((await chat(gw!, HELLO)).cache).toBe('miss');
    now += 29_000;
    expect((await chat(gw!, HELLO)).cache).toBe('hit');
    now += 1_000;
    expect((await chat(gw!, HELLO)).cache).toBe('miss');
    expect(mock!.requests).toHaveLength(2);
  });

  it('evicts the least recently used answer at max_size', async () => {
    // About 1.2 kB an entry: two fit in 3 kB, a third evicts the least recently used.
    const big = (n: number) => chatCompletion('gpt-4o', `${n}:${'x'.repeat(700)}`);
    await start({ cache: { enabled: true, max_size: '3kb' } }, (req, res) => sendJson(res, 200, big(req.n)));
    const ask = async (i: number) =>
      (await chat(gw!, { ...HELLO, messages: [{ role: 'user', content: `q${i}` }] })).cache;
    expect([await ask(0), await ask(1), await ask(0), await ask(2)]).toEqual(['miss', 'miss', 'hit', 'miss']);
    const stats = (
      await admin<{ entries: number; bytes: number; evictions: number }>(gw!.url, 'GET', '/admin/cache')
    ).body;
    expect(stats.entries).toBe(2);
    expect(stats.evictions).toBe(1);
    expect(stats.bytes).toBeLessThanOrEqual(3 * 1024);
    expect([await ask(0), await ask(1)]).toEqual(['hit', 'miss']);
  });

  it('replays a stream as SSE that the openai client reads back', async () => {
    await start({ cache: { enabled: true } }, (req, res) => {
      startSse(res);
      res.write(chunkEvent('gpt-4o', `streamed `));
      res.write(chunkEvent('gpt-4o', `answer ${req.n}`));
      res.end('data: [DONE]\n\n');
    });
    const client = gw!.client();
    const read = async () => {
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hello' }] })
        .withResponse();
      let text = '';
      for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
      return {
        text,
        cache: response.headers.get('x-switchyard-cache'),
        type: response.headers.get('content-type'),
      };
    };
    expect(await read()).toEqual({ text: 'streamed answer 0', cache: 'miss', type: 'text/event-stream' });
    expect(await read()).toEqual({ text: 'streamed answer 0', cache: 'hit', type: 'text/event-stream' });
    expect(mock!.requests).toHaveLength(1);
  });

  it('never stores an error or a stream cut short', async () => {
    await start({ cache: { enabled: true } }, (req, res) => {
      if (req.n === 0)
        return sendJson(res, 400, { error: { message: 'bad', type: 'invalid_request_error' } });
      startSse(res);
      res.write(chunkEvent('gpt-4o', 'partial'));
      res.destroy();
    });
    expect((await chat(gw!, HELLO)).status).toBe(400);
    expect((await chat(gw!, HELLO)).cache).toBe('miss');
    const stream = { ...HELLO, stream: true };
    const cut = await chat(gw!, stream);
    expect(cut.cache).toBe('miss');
    expect(cut.text).toContain('upstream_stream_interrupted');
    expect((await chat(gw!, stream)).cache).toBe('miss');
    expect((await admin<{ entries: number }>(gw!.url, 'GET', '/admin/cache')).body.entries).toBe(0);
  });

  it('does not store an answer over 8 MB, even under a larger max_size', async () => {
    const huge = JSON.stringify(chatCompletion('gpt-4o', 'x'.repeat(8 * 1024 * 1024)));
    await start({ cache: { enabled: true, max_size: '64mb' } }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(huge);
    });
    expect((await chat(gw!, HELLO)).text.length).toBe(huge.length);
    expect((await chat(gw!, HELLO)).cache).toBe('miss');
    expect((await admin<{ entries: number }>(gw!.url, 'GET', '/admin/cache')).body.entries).toBe(0);
  });

  it('counts a hit in its stats, metrics and the request log with what it saved, and charges no quota', async () => {
    await start({
      cache: { enabled: true },
      clients: [{ name: 'alice', key: ALICE, quota: { tokens: 1_000_000, period: 'month' } }],
      prices: { 'gpt-4o': { input: 1_000_000, output: 1_000_000 } },
    });
    const as = { authorization: `Bearer ${ALICE}` };
    await chat(gw!, HELLO, as);
    expect((await chat(gw!, HELLO, as)).cache).toBe('hit');
    const quota = await admin<{ usage: { quota: { used: number } } }>(gw!.url, 'GET', '/admin/clients/alice');
    expect(quota.body.usage.quota.used).toBe(12);
    const stats = (await admin(gw!.url, 'GET', '/admin/cache')).body;
    expect(stats).toMatchObject({
      hits: 1,
      misses: 1,
      stores: 1,
      saved_tokens: 12,
      saved_cost: 12,
      hit_ratio: 0.5,
    });
    const metrics = (await admin(gw!.url, 'GET', '/metrics')).text;
    expect(metrics).toContain('switchyard_cache_requests_total{route="default",result="hit"} 1');
    expect(metrics).toContain('switchyard_cache_saved_tokens_total{route="default"} 12');
    const routes = (
      await admin<{ routes: { requests: number; cache_hits: number }[] }>(
        gw!.url,
        'GET',
        '/admin/stats?by=route',
      )
    ).body.routes;
    expect(routes[0]).toMatchObject({ requests: 2, cache_hits: 1 });
    expect(gw!.logs.join('')).not.toContain('listener failed');
    gw!.accounting.writer!.flush();
    const rows = gw!.accounting
      .db!.prepare(
        'SELECT cache, total_tokens, cost, saved_tokens, saved_cost, upstream FROM request_log ORDER BY id',
      )
      .all();
    expect(rows).toEqual([
      { cache: 'miss', total_tokens: 12, cost: 12, saved_tokens: 0, saved_cost: null, upstream: 'u' },
      { cache: 'hit', total_tokens: 0, cost: 0, saved_tokens: 12, saved_cost: 12, upstream: null },
    ]);
  });

  it('purges all, by route and by model through the admin API', async () => {
    await start({
      cache: { enabled: true },
      routes: [
        { name: 'mini', match: { model: ['gpt-4o-mini'] }, upstreams: ['u'] },
        { name: 'chat', upstreams: ['u'] },
      ],
    });
    const ask = (model: string, content: string) =>
      chat(gw!, { model, messages: [{ role: 'user', content }] });
    await ask('gpt-4o-mini', 'a');
    await ask('gpt-4o', 'a');
    await ask('gpt-4o', 'b');
    expect((await admin(gw!.url, 'DELETE', '/admin/cache?route=mini')).body).toEqual({ purged: 1 });
    expect((await admin(gw!.url, 'DELETE', '/admin/cache?model=gpt-4o')).body).toEqual({ purged: 2 });
    await ask('gpt-4o', 'a');
    expect((await admin(gw!.url, 'DELETE', '/admin/cache')).body).toEqual({ purged: 1 });
    expect((await ask('gpt-4o', 'a')).cache).toBe('miss');
  });

  it('caches upstream model lists for models_cache_ttl even with the cache off', async () => {
    let now = Date.UTC(2026, 0, 1);
    await start(
      { models_cache_ttl: '5m' },
      (req, res) => sendJson(res, 200, { object: 'list', data: [{ id: `m${req.n}` }] }),
      () => now,
    );
    const list = async () => {
      const res = await fetch(`${gw!.url}/v1/models`);
      return { cache: res.headers.get('x-switchyard-cache'), body: await res.json() };
    };
    expect((await list()).cache).toBe('miss');
    expect(await list()).toEqual({ cache: 'hit', body: { object: 'list', data: [{ id: 'm0' }] } });
    now += 300_000;
    expect((await list()).cache).toBe('miss');
  });
});
