import type { ServerResponse } from 'node:http';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, type SeenRequest, sendJson, startMock, startSse } from '../helpers/mock-upstream';
import { OPENAI_CUT, OPENAI_REASONING, OPENAI_TEXT, OPENAI_TOOLS } from '../helpers/provider-streams';
import { type ResponsesEvent, validateResponsesStream } from '../helpers/responses-validator';

const ADMIN = 'sk-admin-key-for-responses-01';

const WEATHER_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, temp: { type: 'number' } },
  required: ['city', 'temp'],
  additionalProperties: false,
};

/** An OpenAI-compatible Chat server (`format: openai-chat`), answering by what the request says. */
function chatUpstream(req: SeenRequest, res: ServerResponse): void {
  const body = req.json<{ stream?: boolean; messages: unknown[] }>();
  const said = JSON.stringify(body.messages);
  if (said.includes('FAIL')) {
    sendJson(res, 404, {
      error: { message: 'The model `nope` does not exist', type: 'invalid_request_error' },
    });
    return;
  }
  if (!body.stream) {
    const long = said.includes('LONG');
    sendJson(res, 200, {
      id: 'chatcmpl-held1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: long ? 'Once upon' : '{"city":"Paris","temp":21}' },
          finish_reason: long ? 'length' : 'stop',
        },
      ],
      usage: {
        prompt_tokens: 50,
        completion_tokens: 12,
        total_tokens: 62,
        prompt_tokens_details: { cached_tokens: 20 },
        completion_tokens_details: { reasoning_tokens: 4 },
      },
    });
    return;
  }
  startSse(res);
  if (said.includes('CUT')) {
    for (const part of OPENAI_CUT) res.write(part);
    setImmediate(() => res.destroy());
    return;
  }
  const script = said.includes('NOUSAGE')
    ? OPENAI_TEXT.filter((part) => !part.includes('"usage"'))
    : said.includes('weather')
      ? OPENAI_TOOLS
      : said.includes('think')
        ? OPENAI_REASONING
        : said.includes('LONG')
          ? OPENAI_TEXT.map((part) => part.replace('"finish_reason":"stop"', '"finish_reason":"length"'))
          : OPENAI_TEXT;
  for (const part of script) res.write(part);
  res.end();
}

function deltas(events: ResponsesEvent[], type: string): string {
  return events
    .filter((e) => e.type === type)
    .map((e) => e.delta)
    .join('');
}

describe('an OpenAI Responses client on an OpenAI-compatible Chat upstream', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(chatUpstream);
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [{ name: 'chat', url: mock.url, format: 'openai-chat', keys: ['sk-chat-upstream-0001'] }],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  function raw(body: object) {
    return fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-unused' },
      body: JSON.stringify({ model: 'gpt-4o', ...body }),
    });
  }

  it('translates a held request with items, tools and a JSON schema, and the answer back', async () => {
    const response = await gw.client().responses.create({
      model: 'gpt-4o',
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Answer in JSON.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Weather?' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0K', detail: 'auto' },
          ],
        },
        {
          type: 'reasoning',
          id: 'rs_1',
          summary: [{ type: 'summary_text', text: 'Look it up.' }],
          encrypted_content: 'gAAAAABopenai-blob',
        },
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Checking.', annotations: [] }],
        },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        { role: 'user', content: 'And Paris, as JSON?' },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Weather of a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: false,
        },
        { type: 'web_search' },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      max_output_tokens: 200,
      temperature: 0.2,
      top_p: 0.9,
      reasoning: { effort: 'minimal' },
      text: { format: { type: 'json_schema', name: 'weather', schema: WEATHER_SCHEMA, strict: true } },
      store: true,
      include: ['reasoning.encrypted_content'],
    });
    const seen = mock.requests.at(-1)!;
    expect(seen.url).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer sk-chat-upstream-0001');
    expect(seen.json()).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Answer in JSON.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        { role: 'user', content: [{ type: 'text', text: 'And Paris, as JSON?' }] },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather of a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      max_tokens: 200,
      temperature: 0.2,
      top_p: 0.9,
      reasoning_effort: 'low',
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'weather', schema: WEATHER_SCHEMA, strict: true },
      },
    });
    expect(response).toMatchObject({
      id: 'resp_chatcmplheld1',
      object: 'response',
      status: 'completed',
      incomplete_details: null,
      error: null,
      model: 'gpt-4o-2024-08-06',
      text: { format: { type: 'json_schema', name: 'weather', schema: WEATHER_SCHEMA, strict: true } },
      usage: {
        input_tokens: 50,
        input_tokens_details: { cached_tokens: 20 },
        output_tokens: 12,
        output_tokens_details: { reasoning_tokens: 4 },
        total_tokens: 62,
      },
    });
    expect(response.output).toEqual([
      {
        id: 'msg_chatcmplheld1_0',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: '{"city":"Paris","temp":21}', annotations: [], logprobs: [] }],
      },
    ]);
    expect(JSON.parse(response.output_text)).toEqual({ city: 'Paris', temp: 21 });
  });

  it('says a held answer cut by the token limit is incomplete', async () => {
    const response = await gw.client().responses.create({ model: 'gpt-4o', input: 'LONG story' });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.output_text).toBe('Once upon');
  });

  it('streams text as a valid event sequence the SDK assembles', async () => {
    const events = validateResponsesStream(await (await raw({ stream: true, input: 'hi' })).text());
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(mock.requests.at(-1)!.json()).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    const final = await gw.client().responses.stream({ model: 'gpt-4o', input: 'hi' }).finalResponse();
    expect(final.output_text).toBe('Hello there');
    expect(final.status).toBe('completed');
    expect(final.usage).toEqual({
      input_tokens: 30,
      input_tokens_details: { cached_tokens: 20 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 32,
    });
  });

  it('streams parallel tool calls, and takes their outputs back in the next turn', async () => {
    const text = await (await raw({ stream: true, input: 'weather and time?' })).text();
    const events = validateResponsesStream(text);
    expect(deltas(events, 'response.function_call_arguments.delta')).toBe('{"city":"Paris"}{"tz":"CET"}');
    const stream = gw.client().responses.stream({
      model: 'gpt-4o',
      input: 'weather and time?',
      tools: [{ type: 'function', name: 'get_weather', parameters: {}, strict: false }],
    });
    const final = await stream.finalResponse();
    const calls = final.output.filter((item) => item.type === 'function_call');
    expect(
      calls.map(({ call_id, name, arguments: args, status }) => ({ call_id, name, args, status })),
    ).toEqual([
      { call_id: 'call_w1', name: 'get_weather', args: '{"city":"Paris"}', status: 'completed' },
      { call_id: 'call_t2', name: 'get_time', args: '{"tz":"CET"}', status: 'completed' },
    ]);
    const next: ResponseInputItem[] = [
      { role: 'user', content: 'weather and time?' },
      ...(final.output as ResponseInputItem[]),
      { type: 'function_call_output', call_id: 'call_w1', output: '21C' },
      { type: 'function_call_output', call_id: 'call_t2', output: '10:00' },
    ];
    await gw.client().responses.create({ model: 'gpt-4o', input: next });
    expect(mock.requests.at(-1)!.json<{ messages: unknown[] }>().messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather and time?' }] },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'call_w1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_t2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_w1', content: '21C' },
      { role: 'tool', tool_call_id: 'call_t2', content: '10:00' },
    ]);
  });

  it('streams DeepSeek-style reasoning as a reasoning item with a summary', async () => {
    const events = validateResponsesStream(
      await (await raw({ stream: true, input: 'think, then greet' })).text(),
    );
    const done = events.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);
    expect(done).toEqual([
      {
        id: 'rs_chatcmplabc123_0',
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'The user greets me.' }],
      },
      {
        id: 'msg_chatcmplabc123_1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hi!', annotations: [], logprobs: [] }],
      },
    ]);
  });

  it('ends a stream cut by the token limit with response.incomplete', async () => {
    const events = validateResponsesStream(
      await (await raw({ stream: true, input: 'LONG' })).text(),
      'incomplete',
    );
    expect(events.at(-1)!.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
  });

  it('ends a stream the upstream cuts with response.failed', async () => {
    const events = validateResponsesStream(
      await (await raw({ stream: true, input: 'CUT' })).text(),
      'failed',
    );
    expect(deltas(events, 'response.output_text.delta')).toBe('Half a');
    expect(events.at(-1)!.response).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: expect.stringContaining('interrupted') },
    });
  });

  it('answers an upstream error in OpenAI shape with its status', async () => {
    const response = await raw({ input: 'FAIL' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'The model `nope` does not exist', type: 'not_found_error', param: null, code: null },
    });
  });

  it('refuses previous_response_id with a clear 400 (the upstream keeps no state)', async () => {
    const before = mock.requests.length;
    const response = await raw({ input: 'more', previous_response_id: 'resp_earlier' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('request_not_forwardable');
    expect(error.message).toContain('"previous_response_id" needs state kept by OpenAI');
    expect(mock.requests.length).toBe(before);
  });

  it('says usage null when the upstream reports none, and the gateway counts it instead', async () => {
    const response = await raw({ stream: true, input: 'NOUSAGE' });
    const events = validateResponsesStream(await response.text(), 'completed', { usageMayLack: true });
    expect(events.at(-1)!.response).toMatchObject({ status: 'completed', usage: null });
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<Record<string, number>>);
    expect(row.tokens_estimated).toBe(1);
    expect(row.prompt_tokens).toBeGreaterThan(0);
    expect(row.completion_tokens).toBe(2);
  });

  it('records the normalised usage and both formats of a translated stream', async () => {
    const response = await raw({ stream: true, input: 'hi' });
    await response.text();
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(row).toMatchObject({
      path: '/v1/responses',
      prompt_tokens: 30,
      completion_tokens: 2,
      cached_tokens: 20,
      total_tokens: 32,
      attempts: [expect.objectContaining({ upstream: 'chat', status: 200, format: 'openai-chat' })],
    });
  });
});
