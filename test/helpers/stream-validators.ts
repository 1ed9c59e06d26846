/**
 * Strict validators for the streams the gateway translates: what a strict client (Claude Code,
 * the OpenAI SDK's accumulator) would reject, checked event by event. They throw with the reason.
 */

interface Frame {
  readonly event: string | undefined;
  readonly data: string;
}

/** SSE text as frames (blank-line separated; `event:` and `data:` lines). */
export function sseFrames(text: string): Frame[] {
  const frames: Frame[] = [];
  for (const block of text.split(/\n\n/)) {
    if (block.trim() === '') continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    frames.push({ event, data: data.join('\n') });
  }
  return frames;
}

const BLOCK_OF_DELTA: Record<string, string> = {
  text_delta: 'text',
  thinking_delta: 'thinking',
  signature_delta: 'thinking',
  input_json_delta: 'tool_use',
};

type Json = Record<string, any>;

function fail(message: string): never {
  throw new Error(`invalid Anthropic stream: ${message}`);
}

/**
 * An Anthropic Messages stream: `message_start` first with a positive `input_tokens`; each
 * event's name equals its data's `type`; blocks opened with sequential indices from 0, one at a
 * time, deltas of the open block's type, tool input that parses as JSON; `message_delta` with a
 * stop reason and usage after every block closed, then `message_stop` last. A stream may instead
 * end with one `error` event. Returns the events' data.
 */
export function validateAnthropicStream(text: string, options: { endsWithError?: boolean } = {}): Json[] {
  const events = sseFrames(text).map((frame) => {
    const data = JSON.parse(frame.data) as Json;
    if (frame.event !== data.type) fail(`event "${frame.event}" carries data of type "${data.type}"`);
    return data;
  });
  if (events[0]?.type !== 'message_start') fail('the first event is not message_start');
  const input = events[0].message?.usage?.input_tokens;
  if (typeof input !== 'number' || input <= 0) fail(`message_start.usage.input_tokens is ${input}`);
  let next = 0;
  let open: { index: number; type: string; json: string } | undefined;
  let delta: Json | undefined;
  for (const [at, event] of events.entries()) {
    if (at === 0) continue;
    const last = at === events.length - 1;
    switch (event.type) {
      case 'ping':
        break;
      case 'content_block_start':
        if (open) fail(`block ${event.index} opened while block ${open.index} is open`);
        if (event.index !== next) fail(`block index ${event.index}, expected ${next}`);
        open = { index: next++, type: event.content_block.type, json: '' };
        break;
      case 'content_block_delta': {
        if (!open || open.index !== event.index) fail(`delta for block ${event.index}, which is not open`);
        const wants = BLOCK_OF_DELTA[event.delta.type];
        if (wants !== open.type) fail(`${event.delta.type} in a ${open.type} block`);
        if (event.delta.type === 'input_json_delta') open.json += event.delta.partial_json;
        break;
      }
      case 'content_block_stop':
        if (!open || open.index !== event.index) fail(`stop for block ${event.index}, which is not open`);
        if (open.type === 'tool_use' && open.json !== '') JSON.parse(open.json);
        open = undefined;
        break;
      case 'message_delta':
        if (open) fail('message_delta while a block is open');
        if (delta) fail('a second message_delta');
        if (typeof event.delta?.stop_reason !== 'string') fail('message_delta without stop_reason');
        if (typeof event.usage?.output_tokens !== 'number') fail('message_delta without usage.output_tokens');
        delta = event;
        break;
      case 'message_stop':
        if (!delta) fail('message_stop before message_delta');
        if (!last) fail('events after message_stop');
        break;
      case 'error':
        if (!options.endsWithError) fail(`unexpected error event: ${JSON.stringify(event)}`);
        if (!last) fail('events after the error event');
        if (typeof event.error?.type !== 'string' || typeof event.error?.message !== 'string') fail('malformed error');
        break;
      default:
        fail(`unknown event type "${event.type}"`);
    }
  }
  const end = events[events.length - 1]?.type;
  if (end !== (options.endsWithError ? 'error' : 'message_stop')) fail(`the stream ends with ${end}`);
  return events;
}

/**
 * An OpenAI Chat stream: JSON chunks of one id, the assistant role first, each tool call
 * introduced once (id, type, name) at a stable index and continued with argument fragments only,
 * arguments that parse as JSON, exactly one finish reason, an optional usage chunk (no choices)
 * after it, then `[DONE]` (or, with `endsWithError`, an error object and no `[DONE]`).
 */
export function validateOpenAiStream(text: string, options: { endsWithError?: boolean } = {}): Json[] {
  const frames = sseFrames(text);
  const bad = (message: string): never => {
    throw new Error(`invalid OpenAI stream: ${message}`);
  };
  const done = frames[frames.length - 1]?.data === '[DONE]';
  if (done === Boolean(options.endsWithError)) bad(done ? 'an error stream ends with [DONE]' : 'no [DONE] at the end');
  const chunks = frames.filter((f) => f.data !== '[DONE]').map((f) => JSON.parse(f.data) as Json);
  if (options.endsWithError && !chunks.pop()?.error) bad('the last event is not an error');
  const args = new Map<number, string>();
  let finished = false;
  let usage = false;
  for (const [at, chunk] of chunks.entries()) {
    if (chunk.error) bad(`unexpected error: ${JSON.stringify(chunk)}`);
    if (chunk.object !== 'chat.completion.chunk') bad(`object ${chunk.object}`);
    if (chunk.id !== chunks[0]!.id) bad('the id changes');
    if (chunk.choices.length === 0) {
      if (!finished || !chunk.usage) bad('a chunk without choices that is not the final usage');
      usage = true;
      continue;
    }
    if (usage) bad('choices after the usage chunk');
    const choice = chunk.choices[0];
    if (at === 0 && choice.delta.role !== 'assistant') bad('the first chunk has no assistant role');
    if (finished) bad('a chunk after the finish reason');
    for (const call of choice.delta.tool_calls ?? []) {
      const seen = args.has(call.index);
      if (!seen && (!call.id || call.type !== 'function' || !call.function?.name)) bad(`tool call ${call.index} starts without id, type and name`);
      if (seen && (call.id !== undefined || call.type !== undefined || call.function?.name !== undefined)) bad(`tool call ${call.index} repeats its head`);
      args.set(call.index, (args.get(call.index) ?? '') + (call.function?.arguments ?? ''));
    }
    if (choice.finish_reason) finished = true;
  }
  if (!options.endsWithError && !finished) bad('no finish reason');
  for (const [index, json] of args) {
    try {
      JSON.parse(json);
    } catch {
      bad(`tool call ${index} arguments do not parse: ${json}`);
    }
  }
  return chunks;
}
