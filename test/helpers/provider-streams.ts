/**
 * Provider streams as the providers document them, written by hand (OpenAI Chat chunks,
 * Anthropic Messages events): what mock upstreams replay in the translation tests.
 */

const sse = (data: object) => `data: ${JSON.stringify(data)}\n\n`;
const event = (data: { type: string }) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

const chunk = (delta: object, finish: string | null = null) =>
  sse({
    id: 'chatcmpl-abc123',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4o-2024-08-06',
    system_fingerprint: 'fp_1',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

const usageChunk = (prompt: number, completion: number, cached = 0) =>
  sse({
    id: 'chatcmpl-abc123',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4o-2024-08-06',
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  });

/** OpenAI: plain text, then the usage chunk `include_usage` asks for. */
export const OPENAI_TEXT = [
  chunk({ role: 'assistant', content: '', refusal: null }),
  chunk({ content: 'Hello' }),
  chunk({ content: ' there' }),
  chunk({}, 'stop'),
  usageChunk(30, 2, 20),
  'data: [DONE]\n\n',
];

/** OpenAI: a sentence, then two parallel tool calls whose arguments arrive in fragments. */
export const OPENAI_TOOLS = [
  chunk({ role: 'assistant', content: null }),
  chunk({ content: 'Checking.' }),
  chunk({
    tool_calls: [
      { index: 0, id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '' } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  chunk({
    tool_calls: [
      { index: 1, id: 'call_t2', type: 'function', function: { name: 'get_time', arguments: '' } },
    ],
  }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: '{"tz":"CET"}' } }] }),
  chunk({}, 'tool_calls'),
  usageChunk(80, 31),
  'data: [DONE]\n\n',
];

/** A DeepSeek-style server: `reasoning_content` before the answer. */
export const OPENAI_REASONING = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ reasoning_content: 'The user greets' }),
  chunk({ reasoning_content: ' me.' }),
  chunk({ content: 'Hi!' }),
  chunk({}, 'stop'),
  usageChunk(12, 9),
  'data: [DONE]\n\n',
];

/** The first part of a stream that the upstream then cuts off. */
export const OPENAI_CUT = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Half a' })];

const messageStart = (usage: object) =>
  event({
    type: 'message_start',
    message: {
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  } as { type: string });

/** Anthropic: extended thinking with its signature, then text. */
export const ANTHROPIC_THINKING = [
  messageStart({
    input_tokens: 25,
    cache_creation_input_tokens: 5,
    cache_read_input_tokens: 10,
    output_tokens: 1,
  }),
  event({ type: 'ping' }),
  event({
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'thinking', thinking: '', signature: '' },
  } as { type: string }),
  event({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'thinking_delta', thinking: 'Let me think' },
  } as { type: string }),
  event({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'thinking_delta', thinking: ' briefly.' },
  } as { type: string }),
  event({
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
  } as { type: string }),
  event({ type: 'content_block_stop', index: 0 } as { type: string }),
  event({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } } as {
    type: string;
  }),
  event({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Paris is' } } as {
    type: string;
  }),
  event({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: ' sunny.' } } as {
    type: string;
  }),
  event({ type: 'content_block_stop', index: 1 } as { type: string }),
  event({
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 15 },
  } as { type: string }),
  event({ type: 'message_stop' }),
];

/** Anthropic: text then a tool call with its input in fragments. */
export const ANTHROPIC_TOOL = [
  messageStart({ input_tokens: 60, output_tokens: 1 }),
  event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } as {
    type: string;
  }),
  event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Looking it up.' } } as {
    type: string;
  }),
  event({ type: 'content_block_stop', index: 0 } as { type: string }),
  event({
    type: 'content_block_start',
    index: 1,
    content_block: { type: 'tool_use', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: {} },
  } as { type: string }),
  event({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } } as {
    type: string;
  }),
  event({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' },
  } as { type: string }),
  event({
    type: 'content_block_delta',
    index: 1,
    delta: { type: 'input_json_delta', partial_json: 'ris"}' },
  } as { type: string }),
  event({ type: 'content_block_stop', index: 1 } as { type: string }),
  event({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 40 },
  } as { type: string }),
  event({ type: 'message_stop' }),
];

/** Anthropic: the stream starts, then the API reports an overload in-band. */
export const ANTHROPIC_OVERLOADED = [
  messageStart({ input_tokens: 9, output_tokens: 1 }),
  event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } as {
    type: string;
  }),
  event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Partial' } } as {
    type: string;
  }),
  event({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } as { type: string }),
];
