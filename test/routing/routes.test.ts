import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockHandler, type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { seededRandom } from '../helpers/seeded-random';

/** A DoH resolver: echoes the DNS message it got (POST body, or the decoded GET parameter). */
const resolver: MockHandler = (req, res) => {
  const query = new URL(req.url, 'http://x').searchParams.get('dns');
  const answer = query ? Buffer.from(query, 'base64url') : req.body;
  res.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': String(answer.length) });
  res.end(answer);
};

describe('routes: matching, actions, DoH and host routes', () => {
  const mocks: Record<string, MockUpstream> = {};
  let gw: TestGateway;

  beforeAll(async () => {
    for (const name of ['free-a', 'free-b', 'paid', 'api3', 'api4'])
      mocks[name] = await startMock(replyChat());
    for (const name of ['doh-1', 'doh-2']) mocks[name] = await startMock(resolver);
    gw = await startTestGateway(
      {
        upstreams: [
          { name: 'free-a', url: mocks['free-a']!.url, keys: ['sk-free-a-0000000001'] },
          { name: 'free-b', url: mocks['free-b']!.url, keys: ['sk-free-b-0000000001'] },
          { name: 'paid', url: mocks.paid!.url, keys: ['sk-paid-00000000001'] },
          { name: 'doh-1', url: mocks['doh-1']!.url, provider: 'none' },
          { name: 'doh-2', url: mocks['doh-2']!.url, provider: 'none' },
          { name: 'api3', url: mocks.api3!.url },
          { name: 'api4', url: mocks.api4!.url },
        ],
        routes: [
          {
            name: 'dns',
            match: { path: '/dns-query' },
            protocol: 'doh',
            upstreams: ['doh-1', 'doh-2'],
            strategy: 'random',
          },
          { name: 'api3', match: { host: 'api3.example.com' }, upstreams: ['api3'] },
          { name: 'api4', match: { host: 'api4.example.com' }, upstreams: ['api4'] },
          {
            name: 'retired',
            match: { model: 'gpt-4-32k' },
            reject: { code: 'model_not_allowed', message: 'gpt-4-32k is retired: use gpt-4o.' },
          },
          {
            name: 'cheap',
            match: { model: 'gpt-3.5*' },
            rewrite: { model: 'gpt-3.5-turbo-0125' },
            upstreams: ['free-a', 'free-b'],
            strategy: 'round-robin',
            models: ['gpt-3.5-turbo', 'gpt-3.5-turbo-16k'],
          },
          {
            name: 'strong',
            match: { model: ['gpt-4', 'gpt-4-*'] },
            upstreams: ['paid'],
            body: { set: { temperature: 0 }, remove: ['user'] },
            headers: { set: { 'x-tier': 'paid' }, remove: ['x-debug'] },
          },
        ],
      },
      { random: seededRandom(21) },
    );
  });

  afterAll(async () => {
    await gw.stop(1000);
    await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  });

  const upstreamCalls = () => Object.values(mocks).reduce((sum, mock) => sum + mock.requests.length, 0);
  const chat = (model: string, extra: Record<string, unknown> = {}, options?: OpenAI.RequestOptions) =>
    gw
      .client()
      .chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }, options);

  it('rewrites the model: the upstream sees the real model, the log keeps both', async () => {
    await chat('gpt-3.5-turbo');
    await chat('gpt-3.5-turbo-16k');
    const seen = [...mocks['free-a']!.requests, ...mocks['free-b']!.requests].map((r) => r.json().model);
    expect(seen).toEqual(['gpt-3.5-turbo-0125', 'gpt-3.5-turbo-0125']);
    expect(mocks['free-a']!.requests).toHaveLength(1);
    expect(mocks['free-b']!.requests).toHaveLength(1);
    const line = gw.logs.map((l) => JSON.parse(l)).find((l) => l.model === 'gpt-3.5-turbo-16k');
    expect(line).toMatchObject({ route: 'cheap', sent_model: 'gpt-3.5-turbo-0125' });
  });

  it('refuses a model no route matches with a 404 model_not_found and no upstream call', async () => {
    const before = upstreamCalls();
    const error = await chat('claude-3-opus').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toContain('claude-3-opus');
    expect(upstreamCalls()).toBe(before);
  });

  it('rejects with the route’s own OpenAI-shaped error and no upstream call', async () => {
    const before = upstreamCalls();
    const error = (await chat('gpt-4-32k').catch((err: unknown) => err)) as InstanceType<
      typeof OpenAI.APIError
    >;
    expect(error.status).toBe(403);
    expect(error.code).toBe('model_not_allowed');
    expect(error.message).toContain('gpt-4-32k is retired: use gpt-4o.');
    expect(upstreamCalls()).toBe(before);
  });

  it('overrides body fields and sets/removes request headers', async () => {
    await chat(
      'gpt-4-turbo',
      { user: 'alice', temperature: 1.5 },
      { headers: { 'x-debug': 'yes', 'X-Tier': 'free' } },
    );
    const seen = mocks.paid!.requests.at(-1)!;
    expect(seen.json()).toMatchObject({ model: 'gpt-4-turbo', temperature: 0 });
    expect(seen.json()).not.toHaveProperty('user');
    expect(seen.headers['x-tier']).toBe('paid');
    expect(seen.headers['x-debug']).toBeUndefined();
    expect(seen.headers.authorization).toBe('Bearer sk-paid-00000000001');
  });

  it('answers GET /v1/models from the configuration, not from an upstream', async () => {
    const before = upstreamCalls();
    const models = await gw.client().models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-4']);
    const one = await gw.client().models.retrieve('gpt-4');
    expect(one).toMatchObject({ id: 'gpt-4', object: 'model', owned_by: 'switchyard' });
    const missing = await gw
      .client()
      .models.retrieve('gpt-5')
      .catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(upstreamCalls()).toBe(before);
  });

  it('balances DoH GET and POST across resolvers with the bytes untouched', async () => {
    const message = Buffer.from('abcd0100000100000000000003777777076578616d706c6503636f6d0000010001', 'hex');
    for (let i = 0; i < 10; i++) {
      const get = await request(`${gw.url}/dns-query?dns=${message.toString('base64url')}`, {
        headers: { accept: 'application/dns-message' },
      });
      expect(get.statusCode).toBe(200);
      expect(Buffer.from(await get.body.arrayBuffer())).toEqual(message);
      const post = await request(`${gw.url}/dns-query`, {
        method: 'POST',
        headers: { 'content-type': 'application/dns-message' },
        body: message,
      });
      expect(post.statusCode).toBe(200);
      expect(post.headers['content-type']).toBe('application/dns-message');
      expect(Buffer.from(await post.body.arrayBuffer())).toEqual(message);
    }
    const seen = [...mocks['doh-1']!.requests, ...mocks['doh-2']!.requests];
    expect(seen).toHaveLength(20);
    expect(mocks['doh-1']!.requests.length).toBeGreaterThan(2);
    expect(mocks['doh-2']!.requests.length).toBeGreaterThan(2);
    expect(seen.filter((r) => r.method === 'POST').every((r) => r.body.equals(message))).toBe(true);
    expect(seen.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('refuses DoH requests missing ?dns= or the dns-message body with 400 and no upstream call', async () => {
    const before = upstreamCalls();
    const noParam = await request(`${gw.url}/dns-query`);
    expect(noParam.statusCode).toBe(400);
    expect(((await noParam.body.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    const wrongType = await request(`${gw.url}/dns-query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"gpt-4"}',
    });
    expect(wrongType.statusCode).toBe(400);
    await wrongType.body.dump();
    const empty = await request(`${gw.url}/dns-query`, {
      method: 'POST',
      headers: { 'content-type': 'application/dns-message' },
    });
    expect(empty.statusCode).toBe(400);
    await empty.body.dump();
    expect(upstreamCalls()).toBe(before);
  });

  it('sends each host to its own upstream', async () => {
    for (const host of ['api3.example.com', 'api4.example.com:443', 'API3.EXAMPLE.COM']) {
      const response = await request(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { host, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
      });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    }
    expect(mocks.api3!.requests).toHaveLength(2);
    expect(mocks.api4!.requests).toHaveLength(1);
    expect(mocks.api3!.requests[0]!.headers.host).toBe(`127.0.0.1:${mocks.api3!.port}`);
  });
});
