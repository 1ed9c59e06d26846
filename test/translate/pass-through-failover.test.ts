import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, sendJson, startMock, startSse } from '../helpers/mock-upstream';
import { ANTHROPIC_THINKING, OPENAI_TEXT } from '../helpers/provider-streams';
import { validateAnthropicStream } from '../helpers/stream-validators';

const ADMIN = 'sk-admin-key-for-translate-02';

interface Attempt {
  readonly upstream: string;
  readonly status: number;
  readonly format: string | null;
}

describe('same format passes through; failover crosses formats', () => {
  let anthropic: MockUpstream;
  let failing: MockUpstream;
  let openai: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    anthropic = await startMock((req, res) => {
      if (req.url.startsWith('/v1/messages/count_tokens')) {
        sendJson(res, 200, { input_tokens: 1234 });
        return;
      }
      startSse(res);
      if (req.body.includes('CUT')) {
        for (const part of ANTHROPIC_THINKING.slice(0, 4)) res.write(part);
        setTimeout(() => res.destroy(), 20);
        return;
      }
      for (const part of ANTHROPIC_THINKING) res.write(part);
      res.end();
    });
    failing = await startMock((_req, res) =>
      sendJson(res, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    openai = await startMock((_req, res) => {
      startSse(res);
      for (const part of OPENAI_TEXT) res.write(part);
      res.end();
    });
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [
        { name: 'ant', url: anthropic.url, provider: 'anthropic', keys: ['sk-ant-0001'] },
        { name: 'ant-down', url: failing.url, provider: 'anthropic', keys: ['sk-ant-0002'] },
        { name: 'oai', url: openai.url, keys: ['sk-oai-0001'], priority: 1 },
        { name: 'ant-only', url: failing.url, provider: 'anthropic', keys: ['sk-ant-0003'] },
      ],
      routes: [
        { name: 'native', match: { model: 'claude-native' }, upstreams: ['ant'] },
        { name: 'failover', match: { model: 'claude-failover' }, upstreams: ['ant-down', 'oai'] },
        { name: 'skip', match: { model: 'claude-skip' }, upstreams: ['ant-only', 'oai'] },
        { name: 'nowhere', match: { model: 'claude-nowhere' }, upstreams: ['ant-only'] },
      ],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await Promise.all([anthropic.close(), failing.close(), openai.close()]);
  });

  function post(path: string, body: string) {
    return fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'sk-client-unused',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'interleaved-thinking-2025-05-14',
      },
      body,
    });
  }

  it('passes an Anthropic request and stream to an Anthropic upstream byte for byte', async () => {
    // Field order, spacing, cache_control and a signature: re-serialising would change some of it.
    const body =
      '{"model":"claude-native", "max_tokens":64,"stream":true,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],' +
      '"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"sig=="}]},{"role":"user","content":"go"}],"x_unknown":1}';
    const response = await post('/v1/messages?beta=true', body);
    const text = await response.text();
    expect(text).toBe(ANTHROPIC_THINKING.join(''));
    const seen = anthropic.requests.at(-1)!;
    expect(seen.url).toBe('/v1/messages?beta=true');
    expect(seen.body.toString('utf8')).toBe(body);
    expect(seen.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    expect(seen.headers['x-api-key']).toBe('sk-ant-0001');
  });

  it('ends a cut pass-through stream with an Anthropic error event', async () => {
    const body = JSON.stringify({
      model: 'claude-native',
      max_tokens: 9,
      stream: true,
      messages: [{ role: 'user', content: 'CUT' }],
    });
    const text = await (await post('/v1/messages', body)).text();
    expect(text.startsWith(ANTHROPIC_THINKING.slice(0, 4).join(''))).toBe(true);
    const events = validateAnthropicStream(text, { endsWithError: true });
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: expect.stringContaining('interrupted') },
    });
  });

  it('asks an Anthropic upstream to count tokens', async () => {
    const client = new Anthropic({ apiKey: 'sk-client-unused', baseURL: gw.url, maxRetries: 0 });
    const count = await client.beta.messages.countTokens({
      model: 'claude-native',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(count.input_tokens).toBe(1234);
    expect(anthropic.requests.at(-1)!.url).toBe('/v1/messages/count_tokens');
    const beta = await post('/v1/messages/count_tokens?beta=true', '{"model":"claude-native","messages":[]}');
    expect(await beta.json()).toEqual({ input_tokens: 1234 });
    expect(anthropic.requests.at(-1)!.url).toBe('/v1/messages/count_tokens?beta=true');
  });

  it('fails over from an Anthropic upstream to an OpenAI one before commit, translating', async () => {
    const response = await post(
      '/v1/messages',
      JSON.stringify({
        model: 'claude-failover',
        max_tokens: 64,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    const events = validateAnthropicStream(await response.text());
    expect(
      events
        .filter((e) => e.type === 'content_block_delta')
        .map((e) => e.delta?.text)
        .join(''),
    ).toBe('Hello there');
    expect(failing.requests.at(-1)!.url).toBe('/v1/messages');
    expect(openai.requests.at(-1)!.url).toBe('/v1/chat/completions');
    expect(openai.requests.at(-1)!.headers['anthropic-beta']).toBeUndefined();
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<{ path: string; attempts: Attempt[] }>);
    expect(row.path).toBe('/v1/messages');
    const attempts = row.attempts;
    expect(attempts.map(({ upstream, status, format }) => ({ upstream, status, format }))).toEqual([
      { upstream: 'ant-down', status: 529, format: null },
      { upstream: 'oai', status: 200, format: 'openai' },
    ]);
  });

  it('skips an upstream whose format cannot carry the request, without sending to it', async () => {
    const before = failing.requests.length;
    // Anthropic's API has no embeddings.
    const body = (model: string) => JSON.stringify({ model, input: 'hi' });
    const served = await post('/v1/embeddings', body('claude-skip'));
    expect(served.status).toBe(200);
    expect(served.headers.get('x-switchyard-attempts')).toBe('1');
    const refused = await post('/v1/embeddings', body('claude-nowhere'));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'request_not_forwardable',
        message: 'upstream "ant-only" speaks Anthropic\'s API, which has no embeddings',
        param: null,
      },
    });
    expect(failing.requests.length).toBe(before);
  });
});

describe('the model list for Anthropic clients', () => {
  it('takes Anthropic’s shape when the request has an anthropic-version header', async () => {
    const gw = await startTestGateway({
      upstreams: [{ name: 'u', url: 'http://127.0.0.1:9', models: ['claude-sonnet-4-5', 'gpt-4o'] }],
    });
    try {
      const client = new Anthropic({ apiKey: 'sk-client-unused', baseURL: gw.url, maxRetries: 0 });
      const ids: string[] = [];
      for await (const model of client.models.list()) ids.push(model.id);
      expect(ids).toEqual(['claude-sonnet-4-5', 'gpt-4o']);
      const page = await client.models.list();
      const { has_more, first_id, last_id } = page;
      expect({ data: page.data.map((m) => m.id), has_more, first_id, last_id }).toEqual({
        data: ['claude-sonnet-4-5', 'gpt-4o'],
        has_more: false,
        first_id: 'claude-sonnet-4-5',
        last_id: 'gpt-4o',
      });
      expect(page.data[0]).toEqual({
        type: 'model',
        id: 'claude-sonnet-4-5',
        display_name: 'claude-sonnet-4-5',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      });
      const one = await client.models.retrieve('gpt-4o');
      expect(one).toMatchObject({ type: 'model', id: 'gpt-4o', display_name: 'gpt-4o' });
      const openai = (await gw.client().models.list()).data.map((m) => m.object);
      expect(openai).toEqual(['model', 'model']);
    } finally {
      await gw.stop(100);
    }
  });
});
