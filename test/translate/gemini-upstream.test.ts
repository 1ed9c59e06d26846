import type { ServerResponse } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/access/usage/tokenizer';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  GEMINI_CUT,
  GEMINI_HELD,
  GEMINI_MAX_TOKENS,
  GEMINI_PARALLEL_TOOLS,
  GEMINI_THINKING_TEXT,
  geminiError,
} from '../helpers/gemini-streams';
import { type MockUpstream, type SeenRequest, sendJson, startMock, startSse } from '../helpers/mock-upstream';
import { validateAnthropicStream, validateOpenAiStream } from '../helpers/stream-validators';

const ADMIN = 'sk-admin-key-for-gemini-02';

/** Behaves like Gemini's API for what the request's text names. */
function geminiUpstream(req: SeenRequest, res: ServerResponse): void {
  if (req.url.includes(':batchEmbedContents')) {
    const body = req.json<{ requests: unknown[] }>();
    sendJson(res, 200, { embeddings: body.requests.map((_, i) => ({ values: [i + 0.5, -1, 0.25] })) });
    return;
  }
  const said = req.body.toString();
  if (said.includes('FAIL')) {
    sendJson(
      res,
      429,
      geminiError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'),
    );
    return;
  }
  if (!req.url.includes(':streamGenerateContent')) {
    sendJson(res, 200, GEMINI_HELD);
    return;
  }
  startSse(res);
  if (said.includes('cut')) {
    for (const part of GEMINI_CUT) res.write(part);
    setTimeout(() => res.destroy(), 20);
    return;
  }
  const script = said.includes('weather')
    ? GEMINI_PARALLEL_TOOLS
    : said.includes('long')
      ? GEMINI_MAX_TOKENS
      : GEMINI_THINKING_TEXT;
  for (const part of script) res.write(part);
  res.end();
}

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather now',
    parameters: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: { city: { type: 'string', format: 'hostname', examples: ['Paris'] } },
      required: ['city'],
    },
  },
};

describe('OpenAI and Anthropic clients on a Gemini upstream', () => {
  let gemini: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    await loadTokenizer();
    gemini = await startMock(geminiUpstream);
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [
        {
          name: 'gem',
          url: `${gemini.url}/`,
          format: 'gemini',
          keys: ['AIza-upstream-0001', 'AIza-upstream-0002'],
        },
        {
          name: 'gem-l1',
          url: gemini.url,
          format: 'gemini',
          keys: ['AIza-limited-0001', 'AIza-limited-0002'],
        },
        { name: 'gem-l2', url: gemini.url, format: 'gemini', keys: ['AIza-limited-0003'] },
      ],
      routes: [
        { name: 'limited-chat', match: { model: 'limited-chat' }, upstreams: ['gem-l1'] },
        { name: 'limited-messages', match: { model: 'limited-messages' }, upstreams: ['gem-l2'] },
        { name: 'all', upstreams: ['gem'], rewrite: { model: 'gemini-2.5-pro' } },
      ],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await gemini.close();
  });

  const anthropic = () =>
    new Anthropic({ apiKey: 'sk-client-unused', baseURL: gw.url, maxRetries: 0, timeout: 10_000 });

  it('sends a held Chat request as generateContent with cleaned schemas, and answers in Chat', async () => {
    const completion = await gw.client().chat.completions.create({
      model: 'gpt-4o',
      max_completion_tokens: 500,
      temperature: 0.2,
      stop: ['END'],
      reasoning_effort: 'low',
      tools: [WEATHER_TOOL],
      tool_choice: 'required',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo?' },
      ],
    });
    const seen = gemini.requests.at(-1)!;
    expect(seen.url).toBe('/v1beta/models/gemini-2.5-pro:generateContent');
    expect(seen.headers['x-goog-api-key']).toMatch(/^AIza-upstream-000[12]$/);
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.json()).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Weather in Oslo?' }] }],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather now',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      generationConfig: {
        maxOutputTokens: 500,
        temperature: 0.2,
        stopSequences: ['END'],
        thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
      },
    });
    const message = completion.choices[0]!.message as (typeof completion.choices)[0]['message'] & {
      reasoning_content?: string;
    };
    expect(message.content).toBe('Calling.');
    expect(message.reasoning_content).toBe('Plan.');
    expect(message.tool_calls).toEqual([
      {
        id: 'fc_1__thought__AbC_-d',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
      },
    ]);
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.usage).toEqual({
      prompt_tokens: 40,
      completion_tokens: 32,
      total_tokens: 72,
      prompt_tokens_details: { cached_tokens: 10 },
      completion_tokens_details: { reasoning_tokens: 20 },
    });
  });

  it('gives the call’s thoughtSignature back to Gemini on the next turn, and names the response', async () => {
    await gw.client().chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'fc_1__thought__AbC_-d',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'fc_1__thought__AbC_-d', content: 'snow' },
      ],
    });
    expect(gemini.requests.at(-1)!.json<{ contents: unknown }>().contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { id: 'fc_1', name: 'get_weather', args: { city: 'Oslo' } },
            thoughtSignature: 'AbC/+d==',
          },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { id: 'fc_1', name: 'get_weather', response: { output: 'snow' } } }],
      },
    ]);
  });

  it('streams parallel calls to a Chat client with stable indices and the tool_calls finish', async () => {
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-unused' },
      body: JSON.stringify({
        model: 'gpt-4o',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'weather and time in Paris' }],
      }),
    });
    expect(gemini.requests.at(-1)!.url).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
    const chunks = validateOpenAiStream(await response.text());
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls).toEqual([
      {
        index: 0,
        id: 'call_respgem2_0__thought__CiQB-sig_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
      { index: 0, function: { arguments: '{"city":"Paris"}' } },
      { index: 1, id: 'call_respgem2_1', type: 'function', function: { name: 'get_time', arguments: '' } },
      { index: 1, function: { arguments: '{"tz":"CET"}' } },
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean)).toEqual(['tool_calls']);
    expect(chunks.at(-1)!.usage).toMatchObject({
      prompt_tokens: 80,
      completion_tokens: 31,
      total_tokens: 111,
    });
  });

  it('maps MAX_TOKENS to length', async () => {
    const stream = await gw.client().chat.completions.create({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'a long story' }],
    });
    const finishes: string[] = [];
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    }
    expect(text).toBe('A long story');
    expect(finishes).toEqual(['length']);
  });

  it('streams thinking and text to an Anthropic client, valid for strict clients', async () => {
    const response = await fetch(`${gw.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'sk-client-unused',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 2000,
        stream: true,
        thinking: { type: 'enabled', budget_tokens: 1500 },
        messages: [{ role: 'user', content: 'Hello' }],
      }),
    });
    const events = validateAnthropicStream(await response.text());
    expect(events.filter((e) => e.type === 'content_block_start').map((e) => e.content_block?.type)).toEqual([
      'thinking',
      'text',
    ]);
    expect(
      events
        .filter((e) => e.type === 'content_block_delta')
        .map((e) => e.delta?.thinking ?? e.delta?.text)
        .join('|'),
    ).toBe('Thinking about| the weather.|Paris is| sunny.');
    const last = events.find((e) => e.type === 'message_delta')!;
    expect(last.delta?.stop_reason).toBe('end_turn');
    expect(last.usage).toEqual({
      input_tokens: 30,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 10,
      output_tokens: 32,
    });
    expect(gemini.requests.at(-1)!.json()).toMatchObject({
      generationConfig: {
        maxOutputTokens: 2000,
        thinkingConfig: { thinkingBudget: 1500, includeThoughts: true },
      },
    });
  });

  it('answers a held Anthropic request with thinking (no signature), text and the signed call', async () => {
    const message = await anthropic().messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Sys', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    });
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Plan.', signature: '' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool_use', id: 'fc_1__thought__AbC_-d', name: 'get_weather', input: { city: 'Oslo' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toEqual({
      input_tokens: 30,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 10,
      output_tokens: 32,
    });
    expect(gemini.requests.at(-1)!.json()).toEqual({
      systemInstruction: { parts: [{ text: 'Sys' }] },
      contents: [{ role: 'user', parts: [{ text: 'Weather in Oslo?' }] }],
      generationConfig: { maxOutputTokens: 100 },
    });
  });

  it('streams parallel calls to the Anthropic SDK as tool_use blocks', async () => {
    const stream = anthropic().messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'weather and time' }],
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'text', text: 'Checking both.' },
      {
        type: 'tool_use',
        id: 'call_respgem2_0__thought__CiQB-sig_1',
        name: 'get_weather',
        input: { city: 'Paris' },
      },
      { type: 'tool_use', id: 'call_respgem2_1', name: 'get_time', input: { tz: 'CET' } },
    ]);
  });

  it('gives Gemini’s 429 in each client’s shape, after rotating to the next key', async () => {
    const before = gemini.requests.length;
    const thrown = await gw
      .client()
      .chat.completions.create({ model: 'limited-chat', messages: [{ role: 'user', content: 'FAIL' }] })
      .catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(RateLimitError);
    expect(gemini.requests.slice(before).map((r) => r.headers['x-goog-api-key'])).toEqual([
      'AIza-limited-0001',
      'AIza-limited-0002',
    ]);
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client-unused' },
      body: JSON.stringify({
        model: 'limited-messages',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'FAIL' }],
      }),
    });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Resource has been exhausted (e.g. check quota).' },
    });
  });

  it('ends a cut stream with Anthropic’s error event', async () => {
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client-unused' },
      body: JSON.stringify({
        model: 'claude-x',
        max_tokens: 10,
        stream: true,
        messages: [{ role: 'user', content: 'cut' }],
      }),
    });
    const body = await response.text();
    const events = validateAnthropicStream(body, { endsWithError: true });
    expect(events[0]!.message?.usage?.input_tokens).toBe(40);
    expect(events.at(-1)!.error?.type).toBe('api_error');
  });

  it('embeds OpenAI requests with batchEmbedContents, base64 included', async () => {
    const floats = await gw.client().embeddings.create({
      model: 'text-embedding-3-small',
      input: ['one', 'two'],
      dimensions: 3,
      encoding_format: 'float',
    });
    expect(floats.data.map((d) => d.embedding)).toEqual([
      [0.5, -1, 0.25],
      [1.5, -1, 0.25],
    ]);
    expect(gemini.requests.at(-1)!.url).toBe('/v1beta/models/gemini-2.5-pro:batchEmbedContents');
    expect(gemini.requests.at(-1)!.json()).toEqual({
      requests: [
        { model: 'models/gemini-2.5-pro', content: { parts: [{ text: 'one' }] }, outputDimensionality: 3 },
        { model: 'models/gemini-2.5-pro', content: { parts: [{ text: 'two' }] }, outputDimensionality: 3 },
      ],
    });
    const raw = await fetch(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-unused' },
      body: JSON.stringify({ model: 'm', input: 'one', encoding_format: 'base64' }),
    }).then((r) => r.json() as Promise<{ data: { embedding: string }[]; usage: { prompt_tokens: number } }>);
    expect(raw.data[0]!.embedding).toBe('AAAAPwAAgL8AAIA+');
    expect(raw.usage.prompt_tokens).toBe(1);
    const decoded = await gw.client().embeddings.create({ model: 'm', input: 'one' });
    expect(decoded.data[0]!.embedding).toEqual([0.5, -1, 0.25]);
  });
});
