import type { ServerResponse } from 'node:http';
import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/access/usage/tokenizer';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { GEMINI_CUT, GEMINI_THINKING_TEXT } from '../helpers/gemini-streams';
import { validateGeminiStream } from '../helpers/gemini-validator';
import { type MockUpstream, type SeenRequest, sendJson, startMock, startSse } from '../helpers/mock-upstream';
import {
  ANTHROPIC_THINKING,
  ANTHROPIC_TOOL,
  OPENAI_CUT,
  OPENAI_REASONING,
  OPENAI_TEXT,
  OPENAI_TOOLS,
} from '../helpers/provider-streams';

const ADMIN = 'sk-admin-key-for-gemini-01';
const GATEWAY_KEY = 'sk-gateway-gemini-client-0001';
const HELD_BYTES = `{ "candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP","index":0}],
  "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":1,"totalTokenCount":5},"x-unknown":true}`;

/** Behaves like Gemini's API: held, streamed, counted, embedded. */
function geminiUpstream(req: SeenRequest, res: ServerResponse): void {
  if (req.url.includes(':countTokens')) sendJson(res, 200, { totalTokens: 31 });
  else if (req.url.includes(':embedContent')) sendJson(res, 200, { embedding: { values: [0.5, -1] } });
  else if (req.url.includes(':streamGenerateContent')) {
    startSse(res);
    const cut = req.body.toString().includes('cut');
    for (const part of cut ? GEMINI_CUT : GEMINI_THINKING_TEXT) res.write(part);
    if (cut) setTimeout(() => res.destroy(), 20);
    else res.end();
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(HELD_BYTES);
  }
}

function openaiUpstream(req: SeenRequest, res: ServerResponse): void {
  if (req.url === '/v1/embeddings') {
    const body = req.json<{ input: string | string[] }>();
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    sendJson(res, 200, {
      object: 'list',
      data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [index + 0.5, -1, 0.25] })),
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    return;
  }
  const body = req.json<{ stream?: boolean; messages: unknown[] }>();
  const said = JSON.stringify(body.messages);
  if (!body.stream) {
    sendJson(res, 200, {
      id: 'chatcmpl-held',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Looking.',
            reasoning_content: 'Weather needs a tool.',
            tool_calls: [
              {
                id: 'call_9',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 50,
        completion_tokens: 20,
        total_tokens: 70,
        prompt_tokens_details: { cached_tokens: 30 },
        completion_tokens_details: { reasoning_tokens: 5 },
      },
    });
    return;
  }
  startSse(res);
  if (said.includes('cut')) {
    for (const part of OPENAI_CUT) res.write(part);
    setTimeout(() => res.destroy(), 20);
    return;
  }
  const script = said.includes('weather')
    ? OPENAI_TOOLS
    : said.includes('think')
      ? OPENAI_REASONING
      : OPENAI_TEXT;
  for (const part of script) res.write(part);
  res.end();
}

function anthropicUpstream(req: SeenRequest, res: ServerResponse): void {
  const body = req.json<{ messages: unknown[] }>();
  const said = JSON.stringify(body.messages);
  if (said.includes('FAIL')) {
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } });
    return;
  }
  if (!req.json<{ stream?: boolean }>().stream) {
    sendJson(res, 200, {
      id: 'msg_held',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'thinking', thinking: 'Plan.', signature: 'sig-abc' },
        { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 25, cache_read_input_tokens: 10, output_tokens: 15 },
    });
    return;
  }
  startSse(res);
  for (const part of said.includes('weather') ? ANTHROPIC_TOOL : ANTHROPIC_THINKING) res.write(part);
  res.end();
}

describe('a Gemini client (@google/genai) through the gateway', () => {
  let gemini: MockUpstream;
  let openai: MockUpstream;
  let anthropic: MockUpstream;
  let down: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    await loadTokenizer();
    gemini = await startMock(geminiUpstream);
    openai = await startMock(openaiUpstream);
    anthropic = await startMock(anthropicUpstream);
    down = await startMock((_req, res) =>
      sendJson(res, 503, {
        error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' },
      }),
    );
    gw = await startTestGateway({
      admin: { key: ADMIN },
      server: { auth_keys: [GATEWAY_KEY] },
      upstreams: [
        { name: 'gem', url: gemini.url, format: 'gemini', keys: ['AIza-upstream-gemini-0001'] },
        { name: 'oai', url: openai.url, keys: ['sk-oai-upstream-0001'] },
        { name: 'ant', url: anthropic.url, provider: 'anthropic', keys: ['sk-ant-upstream-0001'] },
        { name: 'gem-down', url: down.url, format: 'gemini', keys: ['AIza-down-0001'] },
        { name: 'oai-backup', url: openai.url, keys: ['sk-oai-upstream-0002'], priority: 1 },
      ],
      routes: [
        { name: 'failover', match: { model: 'gemini-failover' }, upstreams: ['gem-down', 'oai-backup'] },
        {
          name: 'alias',
          match: { model: 'alias-pro' },
          upstreams: ['gem'],
          rewrite: { model: 'gemini-2.5-pro' },
        },
        { name: 'gemini', match: { model: 'gemini-*' }, upstreams: ['gem'] },
        { name: 'claude', match: { model: 'claude-*' }, upstreams: ['ant'] },
        { name: 'openai', match: { model: 'gpt-*' }, upstreams: ['oai'], models: ['gpt-4o'] },
      ],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await Promise.all([gemini.close(), openai.close(), anthropic.close(), down.close()]);
  });

  const sdk = (apiKey = GATEWAY_KEY) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: gw.url } });

  function post(path: string, body: string, headers: Record<string, string> = {}) {
    return fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': GATEWAY_KEY, ...headers },
      body,
    });
  }

  it('passes a Gemini request through to a Gemini upstream byte for byte, the key swapped', async () => {
    const body = '{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],  "cachedContent":null,"x-extra":1}';
    const response = await fetch(
      `${gw.url}/v1beta/models/gemini-2.5-flash:generateContent?key=${GATEWAY_KEY}&alt=json`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(HELD_BYTES);
    const seen = gemini.requests.at(-1)!;
    expect(seen.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent?alt=json');
    expect(seen.body.toString()).toBe(body);
    expect(seen.headers['x-goog-api-key']).toBe('AIza-upstream-gemini-0001');
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('decodes %3A, applies rewrite.model in the path and passes the stream through unchanged', async () => {
    const response = await post(
      '/v1beta/models/alias-pro%3AstreamGenerateContent?alt=sse',
      '{"contents":[{"role":"user","parts":[{"text":"Weather?"}]}]}',
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(GEMINI_THINKING_TEXT.join(''));
    expect(gemini.requests.at(-1)!.url).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
    expect(gemini.requests.at(-1)!.body.toString()).toBe(
      '{"contents":[{"role":"user","parts":[{"text":"Weather?"}]}]}',
    );
  });

  it('records the usage of passed-through answers, held and streamed, from usageMetadata', async () => {
    const row = (response: Response) =>
      fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const held = await post('/v1beta/models/gemini-2.5-pro:generateContent', '{"contents":[]}');
    await held.text();
    expect(await row(held)).toMatchObject({
      path: '/v1beta/models/gemini-2.5-pro:generateContent',
      model: 'gemini-2.5-pro',
      prompt_tokens: 4,
      completion_tokens: 1,
      tokens_estimated: 0,
      stream: 0,
    });
    const streamed = await post(
      '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
      '{"contents":[]}',
    );
    await streamed.text();
    expect(await row(streamed)).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 32,
      cached_tokens: 10,
      stream: 1,
    });
  });

  it('ends a passed-through stream cut by the upstream with Gemini’s error event', async () => {
    const response = await post(
      '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
      '{"contents":[{"role":"user","parts":[{"text":"cut"}]}]}',
    );
    const text = await response.text();
    expect(text.startsWith(GEMINI_CUT[0]!)).toBe(true);
    expect(text.slice(GEMINI_CUT[0]!.length)).toBe(
      'data: {"error":{"code":500,"message":"The upstream stream was interrupted before it finished.","status":"INTERNAL"}}\n\n',
    );
  });

  it('fails over from a Gemini upstream (passed through) to an OpenAI one (translated) before commit', async () => {
    const response = await post(
      '/v1beta/models/gemini-failover:streamGenerateContent?alt=sse',
      JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] }),
    );
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    const chunks = validateGeminiStream(await response.text());
    expect(chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? [])).toEqual([
      { text: 'Hello' },
      { text: ' there' },
    ]);
    expect(down.requests.at(-1)!.url).toBe('/v1beta/models/gemini-failover:streamGenerateContent?alt=sse');
    expect(openai.requests.at(-1)!.json()).toMatchObject({ model: 'gemini-failover', stream: true });
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then(
      (r) =>
        r.json() as Promise<{
          path: string;
          attempts: { upstream: string; status: number; format: string | null }[];
        }>,
    );
    expect(row.path).toBe('/v1beta/models/gemini-failover:streamGenerateContent');
    expect(row.attempts.map(({ upstream, status, format }) => ({ upstream, status, format }))).toEqual([
      { upstream: 'gem-down', status: 503, format: null },
      { upstream: 'oai-backup', status: 200, format: 'openai' },
    ]);
  });

  it('translates a held request to an OpenAI upstream and the answer back', async () => {
    const answer = await sdk().models.generateContent({
      model: 'gpt-4o',
      contents: [
        {
          role: 'user',
          parts: [{ text: 'Weather in Oslo?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0K' } }],
        },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }] },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { output: 'sunny' } } }],
        },
      ],
      config: {
        systemInstruction: 'You help.',
        temperature: 0.5,
        topP: 0.9,
        maxOutputTokens: 300,
        stopSequences: ['###'],
        thinkingConfig: { thinkingBudget: 2048 },
        tools: [
          {
            functionDeclarations: [
              {
                name: 'get_weather',
                description: 'Weather now',
                parameters: {
                  type: Type.OBJECT,
                  properties: { city: { type: Type.STRING, nullable: true } },
                  required: ['city'],
                },
              },
            ],
          },
        ],
        toolConfig: {
          functionCallingConfig: {
            mode: FunctionCallingConfigMode.ANY,
            allowedFunctionNames: ['get_weather'],
          },
        },
      },
    });
    const seen = openai.requests.at(-1)!;
    expect(seen.url).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer sk-oai-upstream-0001');
    expect(seen.headers['x-goog-api-key']).toBeUndefined();
    expect(seen.headers['x-goog-api-client']).toBeUndefined();
    expect(seen.json()).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You help.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Oslo?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1_0',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1_0', content: 'sunny' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather now',
            parameters: {
              type: 'object',
              properties: { city: { type: ['string', 'null'] } },
              required: ['city'],
            },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_completion_tokens: 300,
      temperature: 0.5,
      top_p: 0.9,
      stop: ['###'],
      reasoning_effort: 'medium',
    });
    expect(answer.functionCalls).toEqual([{ id: 'call_9', name: 'get_weather', args: { city: 'Oslo' } }]);
    expect(answer.candidates?.[0]?.content?.parts).toEqual([
      { text: 'Weather needs a tool.', thought: true },
      { text: 'Looking.' },
      { functionCall: { id: 'call_9', name: 'get_weather', args: { city: 'Oslo' } } },
    ]);
    expect(answer.candidates?.[0]?.finishReason).toBe('STOP');
    expect(answer.usageMetadata).toEqual({
      promptTokenCount: 50,
      cachedContentTokenCount: 30,
      candidatesTokenCount: 15,
      thoughtsTokenCount: 5,
      totalTokenCount: 70,
    });
  });

  it('streams from an OpenAI upstream as whole GenerateContentResponse chunks, calls whole', async () => {
    const response = await post(
      '/v1beta/models/gpt-4o:streamGenerateContent?alt=sse',
      JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'weather in Paris and the time' }] }] }),
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const chunks = validateGeminiStream(await response.text());
    const parts = chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []);
    expect(parts).toEqual([
      { text: 'Checking.' },
      { functionCall: { id: 'call_w1', name: 'get_weather', args: { city: 'Paris' } } },
      { functionCall: { id: 'call_t2', name: 'get_time', args: { tz: 'CET' } } },
    ]);
    expect(chunks.at(-1)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 80, candidatesTokenCount: 31, totalTokenCount: 111 },
      modelVersion: 'gpt-4o-2024-08-06',
      responseId: 'chatcmpl-abc123',
    });
    expect(openai.requests.at(-1)!.json()).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('streams reasoning as thought parts to the SDK', async () => {
    const stream = await sdk().models.generateContentStream({
      model: 'gpt-4o',
      contents: 'think, then greet',
    });
    const parts: unknown[] = [];
    let finish: string | undefined;
    for await (const chunk of stream) {
      parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
    }
    expect(parts).toEqual([
      { text: 'The user greets', thought: true },
      { text: ' me.', thought: true },
      { text: 'Hi!' },
    ]);
    expect(finish).toBe('STOP');
  });

  it('streams from an Anthropic upstream with thoughts, text and the normalised usage', async () => {
    const response = await post(
      '/v1beta/models/claude-sonnet-4-5:streamGenerateContent?alt=sse',
      JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'Weather?' }] }],
        generationConfig: { thinkingConfig: { thinkingBudget: 4000, includeThoughts: true } },
      }),
    );
    const chunks = validateGeminiStream(await response.text());
    expect(chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? [])).toEqual([
      { text: 'Let me think', thought: true },
      { text: ' briefly.', thought: true },
      { text: 'Paris is' },
      { text: ' sunny.' },
    ]);
    expect(chunks.at(-1)?.usageMetadata).toEqual({
      promptTokenCount: 40,
      cachedContentTokenCount: 10,
      candidatesTokenCount: 15,
      totalTokenCount: 55,
    });
    const sent = anthropic.requests.at(-1)!;
    expect(sent.url).toBe('/v1/messages');
    expect(sent.json()).toMatchObject({
      model: 'claude-sonnet-4-5',
      thinking: { type: 'enabled', budget_tokens: 4000 },
      stream: true,
    });
  });

  it('translates a held answer from an Anthropic upstream; its thinking signature stays behind', async () => {
    const answer = await sdk().models.generateContent({ model: 'claude-sonnet-4-5', contents: 'Oslo?' });
    expect(answer.candidates?.[0]?.content?.parts).toEqual([
      { text: 'Plan.', thought: true },
      { functionCall: { id: 'toolu_9', name: 'get_weather', args: { city: 'Oslo' } } },
    ]);
    expect(answer.candidates?.[0]?.finishReason).toBe('STOP');
    expect(answer.usageMetadata).toEqual({
      promptTokenCount: 35,
      cachedContentTokenCount: 10,
      candidatesTokenCount: 15,
      totalTokenCount: 50,
    });
    expect(anthropic.requests.at(-1)!.json()).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Oslo?' }] }],
      max_tokens: 4096,
    });
  });

  it('answers an upstream error in Gemini’s shape with its status', async () => {
    const response = await post(
      '/v1beta/models/claude-sonnet-4-5:generateContent',
      JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'FAIL' }] }] }),
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 404, message: 'model: claude-nope', status: 'NOT_FOUND' },
    });
    const thrown = await sdk()
      .models.generateContent({ model: 'claude-sonnet-4-5', contents: 'FAIL' })
      .catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).status).toBe(404);
  });

  it('ends a stream cut by the upstream with Gemini’s error event', async () => {
    const response = await post(
      '/v1beta/models/gpt-4o:streamGenerateContent?alt=sse',
      JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'cut' }] }] }),
    );
    const text = await response.text();
    const chunks = validateGeminiStream(text, { endsWithError: true });
    expect(chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? [])).toEqual([{ text: 'Half a' }]);
    expect(text).toContain('"status":"INTERNAL"');
  });

  it('counts tokens with a Gemini upstream, and locally (with system and tools) without one', async () => {
    const asked = await sdk().models.countTokens({ model: 'gemini-2.5-pro', contents: 'Hello' });
    expect(asked.totalTokens).toBe(31);
    expect(gemini.requests.at(-1)!.url).toBe('/v1beta/models/gemini-2.5-pro:countTokens');
    const before = openai.requests.length;
    const plain = await sdk().models.countTokens({ model: 'gpt-4o', contents: 'Hello there, how are you?' });
    const withTools = await post(
      '/v1beta/models/gpt-4o:countTokens',
      JSON.stringify({
        generateContentRequest: {
          model: 'models/gpt-4o',
          contents: [{ role: 'user', parts: [{ text: 'Hello there, how are you?' }] }],
          systemInstruction: { parts: [{ text: 'Answer in French.' }] },
          tools: [{ functionDeclarations: [{ name: 'lookup', description: 'Look a word up' }] }],
        },
      }),
    ).then((r) => r.json() as Promise<{ totalTokens: number }>);
    expect(plain.totalTokens).toBe(10);
    expect(withTools.totalTokens).toBe(39);
    expect(openai.requests.length).toBe(before);
  });

  it('embeds through an OpenAI upstream, batch and single, and through a Gemini one as is', async () => {
    const batch = await sdk().models.embedContent({
      model: 'gpt-embed',
      contents: ['one', 'two'],
      config: { outputDimensionality: 3 },
    });
    expect(batch.embeddings).toEqual([{ values: [0.5, -1, 0.25] }, { values: [1.5, -1, 0.25] }]);
    expect(openai.requests.at(-1)!.url).toBe('/v1/embeddings');
    expect(openai.requests.at(-1)!.json()).toEqual({
      model: 'gpt-embed',
      input: ['one', 'two'],
      dimensions: 3,
    });
    const single = await post(
      '/v1beta/models/gpt-embed:embedContent',
      JSON.stringify({ content: { parts: [{ text: 'one' }] } }),
    );
    expect(await single.json()).toEqual({ embedding: { values: [0.5, -1, 0.25] } });
    const native = await post(
      '/v1beta/models/gemini-embedding-001:embedContent',
      JSON.stringify({ content: { parts: [{ text: 'one' }] } }),
    );
    expect(await native.json()).toEqual({ embedding: { values: [0.5, -1] } });
    expect(gemini.requests.at(-1)!.url).toBe('/v1beta/models/gemini-embedding-001:embedContent');
  });

  it('lists the configured models in Gemini’s shape', async () => {
    const names: string[] = [];
    for await (const model of await sdk().models.list()) names.push(model.name ?? '');
    expect(names).toEqual(['models/gemini-failover', 'models/alias-pro', 'models/gpt-4o']);
    const one = await fetch(`${gw.url}/v1beta/models/gpt-4o`, { headers: { 'x-goog-api-key': GATEWAY_KEY } });
    expect(await one.json()).toMatchObject({ name: 'models/gpt-4o', displayName: 'gpt-4o' });
    const none = await fetch(`${gw.url}/v1beta/models/nope`, { headers: { 'x-goog-api-key': GATEWAY_KEY } });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });

  it('takes Gemini signatures out of call ids before a conversation goes to another API', async () => {
    const id = 'call_respgem2_0__thought__CiQB-sig_1';
    await gw.client(GATEWAY_KEY).chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id, type: 'function', function: { name: 'w', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: id, content: 'rain' },
        { role: 'user', content: 'And?' },
      ],
      stream: false,
    });
    // The OpenAI upstream is the client's own API: the request passes through untouched.
    expect(JSON.stringify(openai.requests.at(-1)!.json())).toContain(id);
    await chatToAnthropic(id);
    const sent = anthropic.requests
      .at(-1)!
      .json<{ messages: { content: { id?: string; tool_use_id?: string }[] }[] }>();
    expect(sent.messages[1]!.content[0]!.id).toBe('call_respgem2_0');
    expect(sent.messages[2]!.content[0]!.tool_use_id).toBe('call_respgem2_0');
  });

  async function chatToAnthropic(id: string) {
    await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${GATEWAY_KEY}` },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        stream: true,
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id, type: 'function', function: { name: 'w', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: id, content: 'rain' },
        ],
      }),
    }).then((r) => r.text());
  }

  it('refuses a Gemini client without a gateway key', async () => {
    const response = await fetch(`${gw.url}/v1beta/models/gemini-2.5-pro:generateContent?key=wrong`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"contents":[]}',
    });
    expect(response.status).toBe(401);
  });
});
