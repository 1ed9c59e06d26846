import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, type SeenRequest, sendJson, startMock, startSse } from '../helpers/mock-upstream';
import { ANTHROPIC_OVERLOADED, ANTHROPIC_THINKING, ANTHROPIC_TOOL } from '../helpers/provider-streams';
import { validateOpenAiStream } from '../helpers/stream-validators';

const ADMIN = 'sk-admin-key-for-translate-01';

/** Behaves like Anthropic's Messages API for what the request's text names. */
function anthropicUpstream(req: SeenRequest, res: ServerResponse): void {
  const body = req.json<{ stream?: boolean; messages: unknown[] }>();
  const said = JSON.stringify(body.messages);
  if (said.includes('FAIL')) {
    sendJson(res, 404, {
      type: 'error',
      error: { type: 'not_found_error', message: 'model: claude-nope' },
      request_id: 'req_1',
    });
    return;
  }
  if (!body.stream) {
    sendJson(res, 200, {
      id: 'msg_held',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [
        { type: 'thinking', thinking: 'Plan.', signature: 'sig-abc' },
        { type: 'text', text: 'Calling.' },
        { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 25,
        cache_creation_input_tokens: 5,
        cache_read_input_tokens: 10,
        output_tokens: 15,
      },
    });
    return;
  }
  startSse(res);
  const script = said.includes('weather')
    ? ANTHROPIC_TOOL
    : said.includes('overload')
      ? ANTHROPIC_OVERLOADED
      : ANTHROPIC_THINKING;
  for (const part of script) res.write(part);
  res.end();
}

describe('an OpenAI Chat client on an Anthropic upstream', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(anthropicUpstream);
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [{ name: 'claude', url: mock.url, provider: 'anthropic', keys: ['sk-ant-upstream-0001'] }],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  function raw(body: object) {
    return fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-unused' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', ...body }),
    });
  }

  it('translates a held request with system, tools, images and stops, and the answer back', async () => {
    const completion = await gw.client().chat.completions.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      temperature: 0.5,
      stop: ['###'],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      messages: [
        { role: 'system', content: 'You help.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        { role: 'user', content: 'And Oslo?' },
      ],
    });
    const seen = mock.requests.at(-1)!;
    expect(seen.url).toBe('/v1/messages');
    expect(seen.headers['x-api-key']).toBe('sk-ant-upstream-0001');
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.json()).toEqual({
      model: 'claude-sonnet-4-5',
      system: [{ type: 'text', text: 'You help.' }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Rome' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'sunny' }] },
            { type: 'text', text: 'And Oslo?' },
          ],
        },
      ],
      tools: [
        { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
      tool_choice: { type: 'tool', name: 'get_weather' },
      max_tokens: 300,
      temperature: 0.5,
      stop_sequences: ['###'],
    });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Calling.');
    expect((choice.message as unknown as { reasoning_content: string }).reasoning_content).toBe('Plan.');
    expect(choice.message.tool_calls).toEqual([
      { id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ]);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 15,
      total_tokens: 55,
      prompt_tokens_details: { cached_tokens: 10 },
    });
  });

  it('streams thinking and text as valid chunks, with the usage chunk when asked', async () => {
    const response = await raw({
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const chunks = validateOpenAiStream(await response.text());
    const deltas = chunks.filter((c) => c.choices.length > 0).map((c) => c.choices[0].delta);
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('Let me think briefly.');
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('Paris is sunny.');
    expect(chunks.at(-1)!.usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 15,
      prompt_tokens_details: { cached_tokens: 10 },
    });
    expect(mock.requests.at(-1)!.json().stream).toBe(true);
  });

  it('streams a tool call the SDK assembles, and no usage chunk the client did not ask for', async () => {
    const stream = await gw.client().chat.completions.create({
      model: 'claude-sonnet-4-5',
      stream: true,
      messages: [{ role: 'user', content: 'weather in Paris' }],
    });
    let args = '';
    let name = '';
    let finish: string | null = null;
    let sawUsage = false;
    for await (const chunk of stream) {
      if (chunk.usage) sawUsage = true;
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args: JSON.parse(args), finish, sawUsage }).toEqual({
      name: 'get_weather',
      args: { city: 'Paris' },
      finish: 'tool_calls',
      sawUsage: false,
    });
    const again = await raw({ stream: true, messages: [{ role: 'user', content: 'weather?' }] });
    validateOpenAiStream(await again.text());
  });

  it('ends the stream with an OpenAI error when Anthropic reports one mid-stream', async () => {
    const response = await raw({ stream: true, messages: [{ role: 'user', content: 'overload' }] });
    const text = await response.text();
    const chunks = validateOpenAiStream(text, { endsWithError: true });
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('Partial');
    const last = text.trimEnd().split('\n\n').at(-1)!;
    expect(JSON.parse(last.slice('data: '.length))).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: null },
    });
  });

  it('answers an Anthropic error in OpenAI shape with its status', async () => {
    const response = await raw({ messages: [{ role: 'user', content: 'FAIL' }] });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'model: claude-nope', type: 'not_found_error', param: null, code: null },
    });
  });

  it('records the normalised usage of a translated answer', async () => {
    const response = await raw({ messages: [{ role: 'user', content: 'hi' }] });
    await response.json();
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(row).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 15,
      cached_tokens: 10,
      total_tokens: 55,
    });
  });
});
