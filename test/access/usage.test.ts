import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadTokenizer } from '../../src/access/usage/tokenizer';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  type MockUpstream,
  type SeenRequest,
  sendJson,
  signal,
  startMock,
  startSse,
} from '../helpers/mock-upstream';

const ADMIN = 'sk-admin-key-for-tests-0000';
const WORDS = ['Hello', ' there', ', 世界', '!'];

/** A chunk as OpenAI sends it; with `usage: null` appended when the request asked for usage. */
function chunk(content: string, withUsage: boolean): string {
  const usage = withUsage ? ',"usage":null' : '';
  return `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]${usage}}\n\n`;
}

const USAGE_CHUNK =
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":2}}}\n\n';

/** The exact bytes OpenAI would stream for this request. */
function openAiStream(withUsage: boolean): string {
  return WORDS.map((w) => chunk(w, withUsage)).join('') + (withUsage ? USAGE_CHUNK : '') + 'data: [DONE]\n\n';
}

async function behaveLikeOpenAi(req: SeenRequest, res: ServerResponse): Promise<void> {
  const body = req.json<{
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    messages: unknown[];
  }>();
  if (req.url.startsWith('/v1/silent')) {
    sendJson(res, 200, {
      choices: [{ index: 0, message: { role: 'assistant', content: 'four score and seven' } }],
    });
    return;
  }
  if (!body.stream) {
    sendJson(res, 200, {
      id: 'c2',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 20,
        completion_tokens: 2,
        total_tokens: 22,
        prompt_tokens_details: { cached_tokens: 16 },
      },
    });
    return;
  }
  startSse(res);
  if (req.headers['x-test'] === 'abandon') {
    for (const word of WORDS.slice(0, 2)) res.write(chunk(word, true));
    await req.aborted;
    return;
  }
  res.end(openAiStream(body.stream_options?.include_usage === true));
}

describe('usage accounting', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    await loadTokenizer();
    mock = await startMock(behaveLikeOpenAi);
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-0001'] }],
      prices: { 'gpt-4o*': { input: 2.5, output: 10, cached_input: 1.25 } },
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  async function logged(requestId: string) {
    const response = await fetch(`${gw.url}/admin/requests/${requestId}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  function rawChat(body: object, headers: Record<string, string> = {}) {
    return fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...body }),
    });
  }

  it('records streamed usage while the openai client sees no extra chunk', async () => {
    const { data, response } = await gw
      .client()
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    const chunks = [];
    for await (const part of data) chunks.push(part);
    expect(chunks.map((c) => c.choices[0]?.delta.content).join('')).toBe(WORDS.join(''));
    expect(chunks.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true);
    expect(mock.requests.at(-1)!.json().stream_options).toEqual({ include_usage: true });
    const row = await logged(response.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 4,
      cached_tokens: 2,
      total_tokens: 15,
      tokens_estimated: 0,
      stream: 1,
      status: 200,
    });
    expect(row.cost).toBeCloseTo((9 * 2.5 + 2 * 1.25 + 4 * 10) / 1e6, 12);
  });

  it('gives the client exactly the bytes it would have had without the gateway', async () => {
    const response = await rawChat({ stream: true });
    expect(await response.text()).toBe(openAiStream(false));
    const asked = await rawChat({ stream: true, stream_options: { include_usage: true } });
    expect(await asked.text()).toBe(openAiStream(true));
    const row = await logged(asked.headers.get('x-request-id')!);
    expect(row.total_tokens).toBe(15);
  });

  it('records usage of plain answers, with cached tokens', async () => {
    const response = await rawChat({});
    expect(response.status).toBe(200);
    expect(await logged(response.headers.get('x-request-id')!)).toMatchObject({
      prompt_tokens: 20,
      completion_tokens: 2,
      cached_tokens: 16,
      total_tokens: 22,
      tokens_estimated: 0,
    });
  });

  it('counts with the tokenizer, marked estimated, when the upstream reports nothing', async () => {
    const response = await fetch(`${gw.url}/v1/silent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Say the Gettysburg opening' }],
      }),
    });
    expect(response.status).toBe(200);
    const row = await logged(response.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      // gpt-tokenizer o200k_base: "Say the Gettysburg opening" is 5 tokens (+ 3 message, 3 reply
      // framing); "four score and seven" is 4.
      prompt_tokens: 11,
      completion_tokens: 4,
      tokens_estimated: 1,
    });
  });

  it('charges an abandoned stream for what was generated', async () => {
    const response = await rawChat({ stream: true }, { 'x-test': 'abandon' });
    const reader = response.body!.getReader();
    const seen = signal();
    let text = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString('utf8');
        if (text.includes('there')) seen.fire();
      }
    })().catch(() => {});
    await seen.promise;
    await reader.cancel();
    await mock.requests.at(-1)!.aborted;
    await vi.waitFor(() => expect(gw.gateway.inFlight).toBe(0));
    const row = await logged(response.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      status: 499,
      verdict: 'client_cancelled',
      // o200k_base: "Hello there" is 2 tokens; "hi" is 1, + 6 framing.
      completion_tokens: 2,
      prompt_tokens: 7,
      tokens_estimated: 1,
    });
  });
});
