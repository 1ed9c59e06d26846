import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const AUTH = 'sk-sy-auth-credential-place-01';
const ALICE = 'sk-sy-alice-credential-place-2';
const ADMIN = 'sk-admin-credential-places-03';
const UPSTREAM = 'sk-upstream-credential-0004';

describe('client credentials in every place clients put them', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      admin: { key: ADMIN },
      server: { auth_keys: [AUTH] },
      clients: [{ name: 'alice', key: ALICE }],
      upstreams: [{ name: 'mock', url: mock.url, keys: [UPSTREAM] }],
      routes: [{ name: 'all', upstreams: ['mock'], models: ['gpt-4o', 'claude-sonnet-4-5'] }],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  function post(headers: Record<string, string>, query = '') {
    return fetch(`${gw.url}/v1/chat/completions${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
  }

  async function record(response: Response) {
    const id = response.headers.get('x-request-id');
    const answer = await fetch(`${gw.url}/admin/requests/${id}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    return (await answer.json()) as { client: string | null; path: string; status: number };
  }

  it('accepts the key in each header and in ?key=, and forwards only the upstream key', async () => {
    const places: [Record<string, string>, string][] = [
      [{ authorization: `Bearer ${AUTH}` }, ''],
      [{ 'x-api-key': AUTH }, ''],
      [{ 'api-key': AUTH }, ''],
      [{ 'x-goog-api-key': AUTH }, ''],
      [{}, `?key=${AUTH}`],
    ];
    for (const [headers, query] of places) {
      const before = mock.requests.length;
      const response = await post(headers, query);
      expect(response.status).toBe(200);
      expect(mock.requests.length).toBe(before + 1);
      const seen = mock.requests.at(-1)!;
      expect(seen.url).toBe('/v1/chat/completions');
      expect(seen.headers.authorization).toBe(`Bearer ${UPSTREAM}`);
      expect(seen.headers['x-api-key']).toBeUndefined();
      expect(seen.headers['api-key']).toBeUndefined();
      expect(seen.headers['x-goog-api-key']).toBeUndefined();
    }
  });

  it('never lets ?key= reach the upstream, the request log or the log lines', async () => {
    const response = await post({}, `?alt=sse&key=${ALICE}&beta=true`);
    expect(response.status).toBe(200);
    expect(mock.requests.at(-1)!.url).toBe('/v1/chat/completions?alt=sse&beta=true');
    const row = await record(response);
    expect(row).toMatchObject({ client: 'alice', path: '/v1/chat/completions', status: 200 });
    expect(JSON.stringify(row)).not.toContain(ALICE);
    expect(gw.logs.join('')).not.toContain(ALICE);
    expect(gw.logs.join('')).not.toContain(ALICE.slice(0, 16));
  });

  it('takes an encoded key name off too, and keeps ?key= out of a refused target’s log line', async () => {
    const encoded = await post({}, `?k%65y=${ALICE}`);
    expect(encoded.status).toBe(200);
    expect(mock.requests.at(-1)!.url).toBe('/v1/chat/completions');
    const refused = await fetch(`${gw.url}/v1/%2fchat/completions?key=${ALICE}`, { method: 'POST' });
    expect(refused.status).toBe(400);
    expect(gw.logs.join('')).not.toContain(ALICE);
  });

  it('judges two credentials by the first in order: Bearer, x-api-key, api-key, x-goog-api-key, ?key=', async () => {
    const wrong = 'sk-sy-wrong-credential-000005';
    const before = mock.requests.length;
    expect((await post({ authorization: `Bearer ${wrong}`, 'x-api-key': AUTH })).status).toBe(401);
    expect((await post({ 'x-api-key': wrong, 'x-goog-api-key': AUTH })).status).toBe(401);
    expect((await post({ 'x-goog-api-key': wrong }, `?key=${AUTH}`)).status).toBe(401);
    expect(mock.requests.length).toBe(before);
    const both = await post({ authorization: `Bearer ${ALICE}`, 'x-api-key': AUTH });
    expect(both.status).toBe(200);
    expect((await record(both)).client).toBe('alice');
    const other = await post({ 'api-key': AUTH, 'x-goog-api-key': ALICE }, `?key=${ALICE}`);
    expect((await record(other)).client).not.toBe('alice');
  });

  it('treats empty values as absent and refuses a request with only empty ones', async () => {
    expect((await post({ authorization: 'Bearer ', 'x-api-key': AUTH })).status).toBe(200);
    expect((await post({ 'x-goog-api-key': '' }, `?key=${AUTH}`)).status).toBe(200);
    expect((await post({ authorization: 'Basic c2s6eA==', 'api-key': AUTH })).status).toBe(200);
    const before = mock.requests.length;
    for (const [headers, query] of [
      [{ authorization: 'Bearer ' }, ''],
      [{ 'x-api-key': '', 'x-goog-api-key': '' }, '?key='],
      [{}, '?key&key='],
    ] as const) {
      const response = await post(headers, query);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    }
    expect(mock.requests.length).toBe(before);
  });

  it('works with the Anthropic SDK’s x-api-key and its Bearer auth token', async () => {
    for (const options of [{ apiKey: AUTH }, { apiKey: null, authToken: ALICE }]) {
      const client = new Anthropic({ ...options, baseURL: gw.url, maxRetries: 0 });
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toEqual(['gpt-4o', 'claude-sonnet-4-5']);
    }
    const refused = new Anthropic({ apiKey: 'sk-sy-not-a-key-000000006', baseURL: gw.url, maxRetries: 0 });
    await expect(refused.models.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});

describe('?key= and the response cache', () => {
  it('keeps the key out of the cache key: the same request with the key in a header is a hit', async () => {
    const mock = await startMock(replyChat());
    const gw = await startTestGateway({
      server: { auth_keys: [AUTH] },
      cache: { enabled: true },
      upstreams: [{ name: 'mock', url: mock.url, keys: [UPSTREAM] }],
    });
    try {
      const ask = (query: string, headers: Record<string, string>) =>
        fetch(`${gw.url}/v1/chat/completions${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'cache me' }] }),
        });
      const first = await ask(`?key=${AUTH}`, {});
      expect(first.headers.get('x-switchyard-cache')).toBe('miss');
      const second = await ask('', { 'x-goog-api-key': AUTH });
      expect(second.headers.get('x-switchyard-cache')).toBe('hit');
      expect(mock.requests).toHaveLength(1);
    } finally {
      await gw.stop(1000);
      await mock.close();
    }
  });
});
