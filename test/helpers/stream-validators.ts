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

/** The fields of Anthropic stream events the validator and the tests read. */
export interface AnthropicEvent {
  readonly type: string;
  readonly index?: number;
  readonly message?: { readonly usage?: Record<string, number> };
  readonly content_block?: Record<string, unknown> & { readonly type: string };
  readonly delta?: {
    readonly type?: string;
    readonly text?: string;
    readonly thinking?: string;
    readonly partial_json?: string;
    readonly stop_reason?: string;
  };
  readonly usage?: Record<string, number>;
  readonly error?: { readonly type?: string; readonly message?: string };
}

const BLOCK_OF_DELTA: Record<string, string> = {
  text_delta: 'text',
  thinking_delta: 'thinking',
  signature_delta: 'thinking',
  input_json_delta: 'tool_use',
};

function invalid(message: string): never {
  throw new Error(`invalid Anthropic stream: ${message}`);
}

/** The state machine of one Anthropic stream, after `message_start`. */
class AnthropicChecker {
  private next = 0;
  private open: { index: number; type: string; json: string } | undefined;
  private delta = false;
  private ended = false;

  constructor(private readonly allowError: boolean) {}

  check(event: AnthropicEvent): void {
    if (this.ended) invalid(`${event.type} after the end`);
    if (event.type === 'content_block_start') this.start(event);
    else if (event.type === 'content_block_delta') this.blockDelta(event);
    else if (event.type === 'content_block_stop') this.stop(event);
    else if (event.type === 'message_delta') this.messageDelta(event);
    else if (event.type === 'message_stop') this.messageStop();
    else if (event.type === 'error') this.error(event);
    else if (event.type !== 'ping') invalid(`unknown event type "${event.type}"`);
  }

  finish(): void {
    if (!this.ended) invalid('the stream ends without message_stop or error');
  }

  private start(event: AnthropicEvent): void {
    if (this.open) invalid(`block ${event.index} opened while block ${this.open.index} is open`);
    if (event.index !== this.next) invalid(`block index ${event.index}, expected ${this.next}`);
    this.open = { index: this.next++, type: event.content_block?.type ?? '', json: '' };
  }

  private blockDelta(event: AnthropicEvent): void {
    const open = this.open;
    if (!open || open.index !== event.index) invalid(`delta for block ${event.index}, which is not open`);
    const type = event.delta?.type ?? '';
    if (BLOCK_OF_DELTA[type] !== open.type) invalid(`${type} in a ${open.type} block`);
    open.json += event.delta?.partial_json ?? '';
  }

  private stop(event: AnthropicEvent): void {
    if (!this.open || this.open.index !== event.index)
      invalid(`stop for block ${event.index}, which is not open`);
    if (this.open.type === 'tool_use' && this.open.json !== '') JSON.parse(this.open.json);
    this.open = undefined;
  }

  private messageDelta(event: AnthropicEvent): void {
    if (this.open) invalid('message_delta while a block is open');
    if (this.delta) invalid('a second message_delta');
    if (typeof event.delta?.stop_reason !== 'string') invalid('message_delta without stop_reason');
    if (typeof event.usage?.output_tokens !== 'number') invalid('message_delta without usage.output_tokens');
    this.delta = true;
  }

  private messageStop(): void {
    if (!this.delta) invalid('message_stop before message_delta');
    if (this.allowError) invalid('message_stop where an error was expected');
    this.ended = true;
  }

  private error(event: AnthropicEvent): void {
    if (!this.allowError) invalid(`unexpected error event: ${JSON.stringify(event)}`);
    if (typeof event.error?.type !== 'string' || typeof event.error.message !== 'string')
      invalid('malformed error');
    this.ended = true;
  }
}

/**
 * An Anthropic Messages stream: `message_start` first with a positive `input_tokens`; each
 * event's name equals its data's `type`; blocks opened with sequential indices from 0, one at a
 * time, deltas of the open block's type, tool input that parses as JSON; `message_delta` with a
 * stop reason and usage after every block closed, then `message_stop` last. With `endsWithError`
 * the stream ends with one `error` event instead. Returns the events.
 */
export function validateAnthropicStream(
  text: string,
  options: { endsWithError?: boolean } = {},
): AnthropicEvent[] {
  const events = sseFrames(text).map((frame) => {
    const data = JSON.parse(frame.data) as AnthropicEvent;
    if (frame.event !== data.type) invalid(`event "${frame.event}" carries data of type "${data.type}"`);
    return data;
  });
  const [first, ...rest] = events;
  if (first?.type !== 'message_start') invalid('the first event is not message_start');
  const input = first.message?.usage?.input_tokens;
  if (typeof input !== 'number' || input <= 0) invalid(`message_start.usage.input_tokens is ${input}`);
  const checker = new AnthropicChecker(options.endsWithError === true);
  for (const event of rest) checker.check(event);
  checker.finish();
  return events;
}

/** The fields of OpenAI chunks the validator and the tests read. */
export interface OpenAiChunk {
  readonly id?: string;
  readonly object?: string;
  readonly error?: unknown;
  readonly usage?: Record<string, unknown>;
  readonly choices: readonly {
    readonly finish_reason: string | null;
    readonly delta: {
      readonly role?: string;
      readonly content?: string | null;
      readonly reasoning_content?: string;
      readonly tool_calls?: readonly {
        readonly index: number;
        readonly id?: string;
        readonly type?: string;
        readonly function?: { readonly name?: string; readonly arguments?: string };
      }[];
    };
  }[];
}

function bad(message: string): never {
  throw new Error(`invalid OpenAI stream: ${message}`);
}

/** The state machine of one OpenAI Chat stream's chunks. */
class OpenAiChecker {
  private readonly args = new Map<number, string>();
  private finished = false;
  private usage = false;
  private id: string | undefined;

  check(chunk: OpenAiChunk, first: boolean): void {
    if (chunk.error) bad(`unexpected error: ${JSON.stringify(chunk)}`);
    if (chunk.object !== 'chat.completion.chunk') bad(`object ${chunk.object}`);
    this.id ??= chunk.id;
    if (chunk.id !== this.id) bad('the id changes');
    const choice = chunk.choices[0];
    if (!choice) {
      if (!this.finished || !chunk.usage) bad('a chunk without choices that is not the final usage');
      this.usage = true;
      return;
    }
    if (this.usage || this.finished) bad('a chunk after the finish reason or the usage');
    if (first && choice.delta.role !== 'assistant') bad('the first chunk has no assistant role');
    for (const call of choice.delta.tool_calls ?? []) this.toolCall(call);
    if (choice.finish_reason) this.finished = true;
  }

  finish(mustFinish: boolean): void {
    if (mustFinish && !this.finished) bad('no finish reason');
    for (const [index, json] of this.args) {
      try {
        JSON.parse(json);
      } catch {
        bad(`tool call ${index} arguments do not parse: ${json}`);
      }
    }
  }

  private toolCall(call: NonNullable<OpenAiChunk['choices'][number]['delta']['tool_calls']>[number]): void {
    const seen = this.args.has(call.index);
    const head = call.id !== undefined || call.type !== undefined || call.function?.name !== undefined;
    if (!seen && (!call.id || call.type !== 'function' || !call.function?.name))
      bad(`tool call ${call.index} starts without id, type and name`);
    if (seen && head) bad(`tool call ${call.index} repeats its head`);
    this.args.set(call.index, (this.args.get(call.index) ?? '') + (call.function?.arguments ?? ''));
  }
}

/**
 * An OpenAI Chat stream: JSON chunks of one id, the assistant role first, each tool call
 * introduced once (id, type, name) at a stable index and continued with argument fragments only,
 * arguments that parse as JSON, exactly one finish reason, an optional usage chunk (no choices)
 * after it, then `[DONE]` (or, with `endsWithError`, an error object and no `[DONE]`). Returns
 * the chunks (without the error).
 */
export function validateOpenAiStream(text: string, options: { endsWithError?: boolean } = {}): OpenAiChunk[] {
  const frames = sseFrames(text);
  const done = frames[frames.length - 1]?.data === '[DONE]';
  if (done === Boolean(options.endsWithError))
    bad(done ? 'an error stream ends with [DONE]' : 'no [DONE] at the end');
  const chunks = frames.filter((f) => f.data !== '[DONE]').map((f) => JSON.parse(f.data) as OpenAiChunk);
  if (options.endsWithError && !chunks.pop()?.error) bad('the last event is not an error');
  const checker = new OpenAiChecker();
  for (const [at, chunk] of chunks.entries()) checker.check(chunk, at === 0);
  checker.finish(!options.endsWithError);
  return chunks;
}
