import type { ServerResponse } from 'node:http';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, type SeenRequest, sendJson, startMock, startSse } from '../helpers/mock-upstream';
import {
  ANTHROPIC_OVERLOADED,
  ANTHROPIC_THINKING,
  ANTHROPIC_TOOL,
  OPENAI_TEXT,
} from '../helpers/provider-streams';
import { validateResponsesStream } from '../helpers/responses-validator';

const ADMIN = 'sk-admin-key-for-responses-02';
const SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';

const event = (data: Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

/** Anthropic calls a freeform tool (Codex's apply_patch, a function with one `input` to Anthropic). */
const ANTHROPIC_PATCH = [
  event({
    type: 'message_start',
    message: {
      id: 'msg_patch',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      usage: { input_tokens: 70, output_tokens: 1 },
    },
  }),
  event({
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'tool_use', id: 'toolu_patch', name: 'apply_patch', input: {} },
  }),
  event({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'input_json_delta', partial_json: '{"input": "*** Begin' },
  }),
  event({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'input_json_delta', partial_json: ' Patch\\n"}' },
  }),
  event({ type: 'content_block_stop', index: 0 }),
  event({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 20 },
  }),
  event({ type: 'message_stop' }),
];

const GRAMMAR = 'start: begin_patch hunk+ end_patch';

/** Behaves like Anthropic's Messages API for what the request's text names. */
function anthropicUpstream(req: SeenRequest, res: ServerResponse): void {
  const body = req.json<{ stream?: boolean; messages: unknown[] }>();
  const said = JSON.stringify(body.messages);
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
  const script = said.includes('PATCH')
    ? ANTHROPIC_PATCH
    : said.includes('weather')
      ? ANTHROPIC_TOOL
      : said.includes('overload')
        ? ANTHROPIC_OVERLOADED
        : ANTHROPIC_THINKING;
  for (const part of script) res.write(part);
  res.end();
}

describe('an OpenAI Responses client on an Anthropic upstream', () => {
  let anthropic: MockUpstream;
  let down: MockUpstream;
  let chat: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    anthropic = await startMock(anthropicUpstream);
    down = await startMock((_req, res) =>
      sendJson(res, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    chat = await startMock((_req, res) => {
      startSse(res);
      for (const part of OPENAI_TEXT) res.write(part);
      res.end();
    });
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [
        { name: 'claude', url: anthropic.url, provider: 'anthropic', keys: ['sk-ant-upstream-0001'] },
        { name: 'claude-down', url: down.url, provider: 'anthropic', keys: ['sk-ant-upstream-0002'] },
        { name: 'chat', url: chat.url, format: 'openai-chat', keys: ['sk-chat-0001'], priority: 1 },
      ],
      routes: [
        { name: 'failover', match: { model: 'claude-failover' }, upstreams: ['claude-down', 'chat'] },
        {
          name: 'codex',
          match: { model: 'gpt-5-codex' },
          upstreams: ['claude'],
          rewrite: { model: 'claude-sonnet-4-5' },
        },
        { name: 'claude', upstreams: ['claude'] },
      ],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await Promise.all([anthropic.close(), down.close(), chat.close()]);
  });

  function raw(body: object) {
    return fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-unused' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', ...body }),
    });
  }

  it('answers thinking, text and a tool call as items; the signature comes back to Anthropic only', async () => {
    const first = await gw.client().responses.create({
      model: 'claude-sonnet-4-5',
      instructions: 'You help.',
      input: 'Weather in Oslo?',
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: false }],
      tool_choice: 'required',
      reasoning: { effort: 'medium' },
      max_output_tokens: 12000,
    });
    expect(anthropic.requests.at(-1)!.json()).toEqual({
      model: 'claude-sonnet-4-5',
      system: [{ type: 'text', text: 'You help.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
      max_tokens: 12000,
      thinking: { type: 'enabled', budget_tokens: 8192 },
    });
    expect(first.output).toEqual([
      {
        id: 'rs_msgheld_0',
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'Plan.' }],
        encrypted_content: 'anthropic.thinking:sig-abc',
      },
      {
        id: 'msg_msgheld_1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Calling.', annotations: [], logprobs: [] }],
      },
      {
        id: 'fc_msgheld_2',
        type: 'function_call',
        status: 'completed',
        call_id: 'toolu_9',
        name: 'get_weather',
        arguments: '{"city":"Oslo"}',
      },
    ]);
    expect(first.usage).toEqual({
      input_tokens: 40,
      input_tokens_details: { cached_tokens: 10 },
      output_tokens: 15,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 55,
    });
    const next: ResponseInputItem[] = [
      { role: 'user', content: 'Weather in Oslo?' },
      ...(first.output as ResponseInputItem[]),
      { type: 'function_call_output', call_id: 'toolu_9', output: 'snow' },
    ];
    await gw.client().responses.create({
      model: 'claude-sonnet-4-5',
      input: next,
      reasoning: { effort: 'medium' },
      max_output_tokens: 12000,
    });
    const sent = anthropic.requests.at(-1)!.json<{ messages: unknown[]; thinking: unknown }>();
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Plan.', signature: 'sig-abc' },
          { type: 'text', text: 'Calling.' },
          { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: [{ type: 'text', text: 'snow' }] }],
      },
    ]);
  });

  it('never sends OpenAI reasoning to Anthropic', async () => {
    await gw.client().responses.create({
      model: 'claude-sonnet-4-5',
      input: [
        { role: 'user', content: 'hi' },
        { type: 'reasoning', id: 'rs_x', summary: [], encrypted_content: 'gAAAAABopenai-blob' },
        {
          type: 'message',
          id: 'msg_x',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello.', annotations: [] }],
        },
        { role: 'user', content: 'again' },
      ],
    });
    expect(anthropic.requests.at(-1)!.json<{ messages: unknown[] }>().messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello.' }] },
      { role: 'user', content: [{ type: 'text', text: 'again' }] },
    ]);
  });

  it('streams thinking with its signature and text as a valid event sequence', async () => {
    const events = validateResponsesStream(await (await raw({ stream: true, input: 'hi' })).text());
    const done = events.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);
    expect(done).toEqual([
      {
        id: 'rs_msg01XFDUDYJgAACzvnptvVoYEL_0',
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'Let me think briefly.' }],
        encrypted_content: `anthropic.thinking:${SIGNATURE}`,
      },
      {
        id: 'msg_msg01XFDUDYJgAACzvnptvVoYEL_1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Paris is sunny.', annotations: [], logprobs: [] }],
      },
    ]);
    expect(events.at(-1)!.response).toMatchObject({
      id: 'resp_msg01XFDUDYJgAACzvnptvVoYEL',
      status: 'completed',
      usage: {
        input_tokens: 40,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens: 15,
        total_tokens: 55,
      },
    });
  });

  it('streams a tool call the SDK assembles', async () => {
    const text = await (await raw({ stream: true, input: 'weather?' })).text();
    validateResponsesStream(text);
    const final = await gw
      .client()
      .responses.stream({ model: 'claude-sonnet-4-5', input: 'weather in Paris' })
      .finalResponse();
    expect(final.output_text).toBe('Looking it up.');
    const call = final.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ call_id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather' });
    expect(JSON.parse(call?.type === 'function_call' ? call.arguments : '')).toEqual({ city: 'Paris' });
  });

  it('ends the stream with response.failed when Anthropic reports an error mid-stream', async () => {
    const events = validateResponsesStream(
      await (await raw({ stream: true, input: 'overload' })).text(),
      'failed',
    );
    expect(events.at(-1)!.response).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: 'Overloaded' },
      output: [],
    });
  });

  it("carries Codex's freeform apply_patch tool as a one-string function, both ways", async () => {
    const tools = [
      {
        type: 'custom' as const,
        name: 'apply_patch',
        description: 'Edit files.',
        format: { type: 'grammar' as const, syntax: 'lark' as const, definition: GRAMMAR },
      },
    ];
    const input: ResponseInputItem[] = [
      { role: 'user', content: 'PATCH it' },
      { type: 'custom_tool_call', call_id: 'toolu_old', name: 'apply_patch', input: '*** Begin Patch\nold' },
      { type: 'custom_tool_call_output', call_id: 'toolu_old', output: 'Done.' },
    ];
    const text = await (await raw({ stream: true, tools, input })).text();
    const events = validateResponsesStream(text);
    expect(
      events.filter((e) => e.type.startsWith('response.custom_tool_call_input')).map((e) => e.type),
    ).toEqual(['response.custom_tool_call_input.delta', 'response.custom_tool_call_input.done']);
    const sent = anthropic.requests.at(-1)!.json<{ tools: unknown; messages: unknown }>();
    expect(sent.tools).toEqual([
      {
        name: 'apply_patch',
        description: 'Edit files.',
        input_schema: {
          type: 'object',
          properties: {
            input: { type: 'string', description: `The input, in this lark grammar:\n${GRAMMAR}` },
          },
          required: ['input'],
          additionalProperties: false,
        },
      },
    ]);
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'PATCH it' }] },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'toolu_old',
            name: 'apply_patch',
            input: { input: '*** Begin Patch\nold' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_old', content: [{ type: 'text', text: 'Done.' }] },
        ],
      },
    ]);
    const final = await gw
      .client()
      .responses.stream({ model: 'claude-sonnet-4-5', tools, input })
      .finalResponse();
    expect(final.output).toEqual([
      {
        id: 'ctc_msgpatch_0',
        type: 'custom_tool_call',
        status: 'completed',
        call_id: 'toolu_patch',
        name: 'apply_patch',
        input: '*** Begin Patch\n',
      },
    ]);
  });

  it('serves a Codex CLI turn: its tools, reasoning and headers, on Claude through rewrite.model', async () => {
    const shell = {
      type: 'function',
      name: 'shell',
      description: 'Runs a shell command and returns its output.',
      strict: false,
      parameters: {
        type: 'object',
        properties: { command: { type: 'array', items: { type: 'string' } }, workdir: { type: 'string' } },
        required: ['command'],
        additionalProperties: false,
      },
    };
    const codex = {
      model: 'gpt-5-codex',
      instructions: 'You are Codex, based on GPT-5.',
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: '<environment_context>\n  <cwd>/repo</cwd>\n</environment_context>' },
          ],
        },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list the files' }] },
      ],
      tools: [
        shell,
        {
          type: 'custom',
          name: 'apply_patch',
          description: 'Edit files.',
          format: { type: 'grammar', syntax: 'lark', definition: GRAMMAR },
        },
        { type: 'web_search' },
        { type: 'local_shell' },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'medium', summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: '0199a3e2-1c2b-7d50-9b1e-6f0c2f1c9a11',
      text: { verbosity: 'low' },
    };
    const response = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer sk-client-unused',
        'openai-beta': 'responses=experimental',
        originator: 'codex_cli_rs',
      },
      body: JSON.stringify(codex),
    });
    expect(response.status).toBe(200);
    const events = validateResponsesStream(await response.text());
    expect(events.at(-1)!.response).toMatchObject({
      model: 'claude-sonnet-4-5-20250929',
      status: 'completed',
    });
    const seen = anthropic.requests.at(-1)!;
    expect(seen.headers['openai-beta']).toBeUndefined();
    const sent = seen.json<Record<string, unknown>>();
    expect(sent).toMatchObject({
      model: 'claude-sonnet-4-5',
      system: [{ type: 'text', text: 'You are Codex, based on GPT-5.' }],
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 8192 },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: '<environment_context>\n  <cwd>/repo</cwd>\n</environment_context>' },
            { type: 'text', text: 'list the files' },
          ],
        },
      ],
    });
    expect((sent.tools as { name: string }[]).map((tool) => tool.name)).toEqual(['shell', 'apply_patch']);
    expect(sent.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
  });

  it('fails over from an Anthropic upstream to a Chat one before commit, translating both ways', async () => {
    const response = await raw({ model: 'claude-failover', stream: true, input: 'hi' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    const events = validateResponsesStream(await response.text());
    expect(events.at(-1)!.response).toMatchObject({ output: [{ content: [{ text: 'Hello there' }] }] });
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<{ attempts: { upstream: string; status: number; format: string }[] }>);
    expect(row.attempts.map(({ upstream, status, format }) => ({ upstream, status, format }))).toEqual([
      { upstream: 'claude-down', status: 529, format: 'anthropic' },
      { upstream: 'chat', status: 200, format: 'openai-chat' },
    ]);
  });
});
