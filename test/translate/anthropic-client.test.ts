import type { ServerResponse } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/access/usage/tokenizer';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, type SeenRequest, sendJson, startMock, startSse } from '../helpers/mock-upstream';
import { OPENAI_CUT, OPENAI_REASONING, OPENAI_TEXT, OPENAI_TOOLS } from '../helpers/provider-streams';
import { validateAnthropicStream } from '../helpers/stream-validators';

const ADMIN = 'sk-admin-key-for-translate-00';

/** Replays the stream a request's first user text names, or answers a held completion. */
function openAiUpstream(req: SeenRequest, res: ServerResponse): void {
  const body = req.json<{ stream?: boolean; messages: { role: string; content: unknown }[] }>();
  const said = JSON.stringify(body.messages);
  if (said.includes('FAIL400')) {
    sendJson(res, 400, {
      error: {
        message: 'Invalid value for messages',
        type: 'invalid_request_error',
        param: 'messages',
        code: null,
      },
    });
    return;
  }
  if (!body.stream && said.includes('HELDTOOL')) {
    sendJson(res, 200, {
      id: 'chatcmpl-tool',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
    return;
  }
  if (!body.stream) {
    sendJson(res, 200, {
      id: 'chatcmpl-held',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Bonjour' },
          finish_reason: 'length',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 50,
        completion_tokens: 3,
        total_tokens: 53,
        prompt_tokens_details: { cached_tokens: 40 },
      },
    });
    return;
  }
  startSse(res);
  if (said.includes('CUT')) {
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

describe('an Anthropic Messages client on an OpenAI-compatible upstream', () => {
  let mock: MockUpstream;
  let gw: TestGateway;
  let client: Anthropic;

  beforeAll(async () => {
    await loadTokenizer();
    mock = await startMock(openAiUpstream);
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [{ name: 'oai', url: mock.url, keys: ['sk-upstream-oai-0001'] }],
      routes: [
        { name: 'claude', match: { model: 'claude-*' }, upstreams: ['oai'], rewrite: { model: 'gpt-4o' } },
      ],
    });
    client = new Anthropic({ apiKey: 'sk-client-unused', baseURL: gw.url, maxRetries: 0, timeout: 10_000 });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  function raw(body: object, path = '/v1/messages?beta=true') {
    return fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'sk-client-unused',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, ...body }),
    });
  }

  it('translates a held request and answer both ways', async () => {
    // `temperature` is sent as a client of an older SDK would (this SDK's types dropped it).
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      ...{ temperature: 0.2 },
      stop_sequences: ['END'],
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: 'Say hello in French' },
        { role: 'assistant', content: 'Sure.' },
        { role: 'user', content: 'Go' },
      ],
    });
    expect(mock.requests.at(-1)!.url).toBe('/v1/chat/completions');
    expect(mock.requests.at(-1)!.headers.authorization).toBe('Bearer sk-upstream-oai-0001');
    expect(mock.requests.at(-1)!.headers['anthropic-version']).toBeUndefined();
    expect(mock.requests.at(-1)!.json()).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Say hello in French' }] },
        { role: 'assistant', content: 'Sure.' },
        { role: 'user', content: [{ type: 'text', text: 'Go' }] },
      ],
      max_completion_tokens: 256,
      temperature: 0.2,
      stop: ['END'],
    });
    expect(message.type).toBe('message');
    expect(message.content).toEqual([{ type: 'text', text: 'Bonjour' }]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 40, output_tokens: 3 });
  });

  it('translates a held tool call to a tool_use block', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      tools: [{ name: 'lookup', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }],
      messages: [{ role: 'user', content: 'HELDTOOL' }],
    });
    expect(message.content).toEqual([{ type: 'tool_use', id: 'call_9', name: 'lookup', input: { q: 'x' } }]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 9, output_tokens: 4 });
  });

  it('streams text as a strict Anthropic stream with real input_tokens', async () => {
    const response = await raw({ stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = validateAnthropicStream(await response.text());
    expect(events[0]!.message?.usage?.input_tokens).toBeGreaterThan(0);
    const text = events
      .filter((e) => e.type === 'content_block_delta')
      .map((e) => e.delta?.text)
      .join('');
    expect(text).toBe('Hello there');
    const delta = events.find((e) => e.type === 'message_delta')!;
    expect(delta.delta?.stop_reason).toBe('end_turn');
    // OpenAI's prompt_tokens (30) includes the 20 cached: Anthropic counts them apart.
    expect(delta.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 20, output_tokens: 2 });
    expect(mock.requests.at(-1)!.json().stream_options).toEqual({ include_usage: true });
  });

  it('streams parallel tool calls with their arguments, read by the SDK', async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: 'get_weather',
        description: 'Weather by city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      { name: 'get_time', input_schema: { type: 'object', properties: { tz: { type: 'string' } } } },
    ];
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'weather and time in Paris?' }],
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual(
      [
        { type: 'text', text: 'Checking.', citations: null },
        { type: 'tool_use', id: 'call_w1', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_t2', name: 'get_time', input: { tz: 'CET' } },
      ].map((block) => (block.type === 'text' ? { type: 'text', text: block.text } : block)),
    );
    expect(final.stop_reason).toBe('tool_use');
    const sent = mock.requests.at(-1)!.json<Record<string, unknown>>();
    expect(sent.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather by city', parameters: tools[0]!.input_schema },
      },
      { type: 'function', function: { name: 'get_time', parameters: tools[1]!.input_schema } },
    ]);
    expect(sent.tool_choice).toBe('required');
    const again = await raw({ stream: true, tools, messages: [{ role: 'user', content: 'weather?' }] });
    validateAnthropicStream(await again.text());
  });

  it('sends tool results right after the calls, images as data URLs, and no foreign thinking', async () => {
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Use the tool.', signature: 'sig-from-anthropic' },
            { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'png' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a logo' }] },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
    });
    expect(mock.requests.at(-1)!.json().messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"png"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'a logo' },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
  });

  it('shows reasoning_content as a thinking block without inventing a signature', async () => {
    const response = await raw({ stream: true, messages: [{ role: 'user', content: 'think, then greet' }] });
    const events = validateAnthropicStream(await response.text());
    const starts = events.filter((e) => e.type === 'content_block_start').map((e) => e.content_block);
    expect(starts).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'text', text: '' },
    ]);
    expect(events.some((e) => e.delta?.type === 'signature_delta')).toBe(false);
  });

  it('ends a stream the upstream cuts with an Anthropic error event', async () => {
    const response = await raw({ stream: true, messages: [{ role: 'user', content: 'CUT' }] });
    const events = validateAnthropicStream(await response.text(), { endsWithError: true });
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: expect.stringContaining('interrupted') },
    });
  });

  it('answers an upstream error in Anthropic shape with its status', async () => {
    const error = await client.messages
      .create({
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'FAIL400' }],
      })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const bad = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(bad.status).toBe(400);
    expect(bad.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'Invalid value for messages' },
    });
  });

  it('counts tokens locally, system prompt and tools included, with or without ?beta=true', async () => {
    const before = mock.requests.length;
    const bare = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hello' }],
    });
    const full = await client.beta.messages.countTokens({
      model: 'claude-sonnet-4-5',
      system: 'You are a careful assistant who answers in French.',
      tools: [
        { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(bare.input_tokens).toBeGreaterThan(0);
    expect(full.input_tokens).toBeGreaterThan(bare.input_tokens + 15);
    const beta = await raw(
      { messages: [{ role: 'user', content: 'hello' }] },
      '/v1/messages/count_tokens?beta=true',
    );
    expect(beta.status).toBe(200);
    expect(await beta.json()).toEqual({ input_tokens: bare.input_tokens });
    expect(mock.requests.length).toBe(before);
  });

  it('records the normalised usage of a translated stream', async () => {
    const response = await raw({ stream: true, messages: [{ role: 'user', content: 'hi' }] });
    await response.text();
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(row).toMatchObject({
      prompt_tokens: 30,
      completion_tokens: 2,
      cached_tokens: 20,
      total_tokens: 32,
      tokens_estimated: 0,
    });
  });
});
