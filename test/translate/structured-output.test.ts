import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  chatCompletion,
  type MockUpstream,
  type SeenRequest,
  sendJson,
  startMock,
  startSse,
} from '../helpers/mock-upstream';
import { validateOpenAiStream } from '../helpers/stream-validators';

const event = (data: { type: string }) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

/** Anthropic's stream of one forced tool call whose input arrives in fragments. */
function toolStream(name: string, fragments: readonly string[]): string[] {
  return [
    event({
      type: 'message_start',
      message: {
        id: 'msg_json',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 40, output_tokens: 1 },
      },
    } as { type: string }),
    event({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_json', name, input: {} },
    } as { type: string }),
    ...['', ...fragments].map((partial_json) =>
      event({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json } } as {
        type: string;
      }),
    ),
    event({ type: 'content_block_stop', index: 0 } as { type: string }),
    event({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 12 },
    } as { type: string }),
    event({ type: 'message_stop' }),
  ];
}

function message(name: string, input: unknown) {
  return {
    id: 'msg_json',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [{ type: 'tool_use', id: 'toolu_json', name, input }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 40, output_tokens: 12 },
  };
}

/** Answers through the tool the request forces, or the client's own tool when it may choose. */
function anthropicUpstream(req: SeenRequest, res: ServerResponse): void {
  const body = req.json<{ stream?: boolean; tools?: { name: string }[]; messages: unknown[] }>();
  const own = body.tools?.find((tool) => tool.name !== 'json_output');
  const list = JSON.stringify(body.messages).includes('list');
  const name = own ? own.name : 'json_output';
  const input = own ? { city: 'Oslo' } : list ? { value: ['tea', 'milk'] } : { name: 'Ada', age: 36 };
  if (!body.stream) {
    sendJson(res, 200, message(name, input));
    return;
  }
  startSse(res);
  const text = JSON.stringify(input);
  for (const part of toolStream(name, [text.slice(0, 7), text.slice(7)])) res.write(part);
  res.end();
}

const PERSON = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
};

describe('structured output and JSON mode from an OpenAI client to an Anthropic upstream', () => {
  let anthropic: MockUpstream;
  let openai: MockUpstream;
  let gw: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    anthropic = await startMock(anthropicUpstream);
    openai = await startMock((req, res) =>
      sendJson(res, 200, chatCompletion(req.json().model as string, 'two')),
    );
    gw = await startTestGateway({
      upstreams: [
        { name: 'ant', url: anthropic.url, provider: 'anthropic', keys: ['sk-ant-0001'] },
        { name: 'oai', url: openai.url, keys: ['sk-oai-0001'], priority: 1 },
      ],
      routes: [
        { name: 'anthropic-only', match: { model: 'claude-only' }, upstreams: ['ant'] },
        { name: 'mixed', match: { model: 'claude-mixed' }, upstreams: ['ant', 'oai'] },
        { name: 'claude', match: { model: 'claude-*' }, upstreams: ['ant'] },
      ],
    });
    client = gw.client();
  });

  afterAll(async () => {
    await gw.stop(1000);
    await anthropic.close();
    await openai.close();
  });

  it('asks for a json_schema answer through one forced tool and gives it back as the content', async () => {
    const completion = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      reasoning_effort: 'high',
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema: PERSON, strict: true } },
      messages: [{ role: 'user', content: 'Who wrote the first program?' }],
    });
    const sent = anthropic.requests.at(-1)!.json();
    expect(sent.tools).toEqual([
      {
        name: 'json_output',
        description: 'Give your final answer as the input of this tool: it is returned to the user as JSON.',
        input_schema: PERSON,
      },
    ]);
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'json_output' });
    expect(sent.thinking).toBeUndefined();
    expect(completion.choices[0]!.message.content).toBe('{"name":"Ada","age":36}');
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });

  it('streams a json_object answer as content deltas, finishing with stop', async () => {
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-unused' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        stream: true,
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: 'Who? Answer in JSON.' }],
      }),
    });
    const chunks = validateOpenAiStream(await response.text());
    const sent = anthropic.requests.at(-1)!.json<{ tools: { input_schema: unknown }[] }>();
    expect(sent.tools.map((tool) => tool.input_schema)).toEqual([{ type: 'object' }]);
    const deltas = chunks.flatMap((c) => c.choices.map((choice) => choice.delta));
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('{"name":"Ada","age":36}');
    expect(deltas.some((d) => d.tool_calls)).toBe(false);
    expect(chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual([
      'stop',
    ]);
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      stream: true,
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'Who? Answer in JSON.' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(JSON.parse(text)).toEqual({ name: 'Ada', age: 36 });
  });

  it('wraps a schema whose root is not an object, and unwraps the answer, held and streamed', async () => {
    const list = { type: 'array', items: { type: 'string' } };
    const ask = { role: 'user' as const, content: 'A shopping list, please.' };
    const format = { type: 'json_schema' as const, json_schema: { name: 'list', schema: list } };
    const held = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      response_format: format,
      messages: [ask],
    });
    expect(
      anthropic.requests.at(-1)!.json<{ tools: { input_schema: unknown }[] }>().tools[0]!.input_schema,
    ).toEqual({
      type: 'object',
      properties: { value: list },
      required: ['value'],
    });
    expect(held.choices[0]!.message.content).toBe('["tea","milk"]');
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      stream: true,
      response_format: format,
      messages: [ask],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('["tea","milk"]');
  });

  it('lets the model call the client’s own tools too: any tool is required, and a real call stays a call', async () => {
    const completion = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      response_format: { type: 'json_object' },
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      messages: [{ role: 'user', content: 'Weather in Oslo, as JSON.' }],
    });
    const sent = anthropic.requests.at(-1)!.json<{ tools: { name: string }[]; tool_choice: unknown }>();
    expect(sent.tools.map((tool) => tool.name)).toEqual(['get_weather', 'json_output']);
    expect(sent.tool_choice).toEqual({ type: 'any' });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]!.message.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
    });
  });

  it('refuses n > 1 for an Anthropic upstream with 400 n_unsupported, or fails over to one that can', async () => {
    const before = anthropic.requests.length;
    const err = await client.chat.completions
      .create({ model: 'claude-only', n: 2, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      code: 'n_unsupported',
      type: 'invalid_request_error',
    });
    expect(anthropic.requests.length).toBe(before);
    const served = await client.chat.completions.create({
      model: 'claude-mixed',
      n: 2,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(served.choices[0]!.message.content).toBe('two');
    expect(openai.requests.at(-1)!.json()).toMatchObject({ n: 2 });
    expect(anthropic.requests.length).toBe(before);
    const one = await client.chat.completions.create({
      model: 'claude-only',
      n: 1,
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(one.choices).toHaveLength(1);
  });
});
