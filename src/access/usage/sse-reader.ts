import { utf8 } from '../../http/bytes';
import { countTokens } from './tokenizer';
import { mergeUsage, type Usage, usageOf } from './usage';

type Json = Record<string, unknown>;

const EVENT_END = /\r?\n\r?\n/g;
const USAGE_NULL = /,\s*"usage"\s*:\s*null/g;
/** Text held for counting before it is tokenised and dropped (memory stays bounded). */
const TEXT_HOLD = 32 * 1024;
/** An event this long without an end is not SSE worth reading: pass it on untouched. */
const MAX_PENDING = 1024 * 1024;

/**
 * Reads an SSE stream on the side, for usage: the reported `usage` (merged over events) and,
 * while none has come, the generated text, so an abandoned stream can still be counted.
 *
 * In `strip` mode (the gateway asked for usage; the client did not) it also rewrites the stream
 * so the client sees exactly what it asked for: the usage-only chunk (`"choices":[]` with a
 * `usage`) is dropped and the `"usage":null` each chunk carries is removed. Only an incomplete
 * event is held back, until its end arrives; a client could not use it before then anyway.
 */
export class SseUsageReader {
  usage: Usage | undefined = undefined;
  /** The `model` the upstream named in its first event. */
  model: string | undefined = undefined;
  private readonly decoder = new TextDecoder();
  private pending = '';
  private textParts: string[] = [];
  private textChars = 0;
  private countedTokens = 0;
  private gaveUp = false;

  constructor(private readonly strip: boolean) {}

  /** Feeds one chunk as it passes; returns what the client gets (the chunk itself unless stripping). */
  feed(chunk: Uint8Array): Uint8Array {
    if (this.gaveUp) return chunk;
    this.pending += this.decoder.decode(chunk, { stream: true });
    const out = this.drainEvents();
    if (this.pending.length > MAX_PENDING) return this.giveUp(out);
    return this.strip ? (out.length === 0 ? EMPTY : utf8(out)) : chunk;
  }

  /**
   * The stream ended: what is still held (an event without its blank line, such as a final
   * `data: [DONE]\n`) goes to the client, read like any event. Empty unless stripping.
   */
  flush(): Uint8Array {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    if (!this.strip || this.gaveUp || rest.length === 0) return EMPTY;
    return utf8(this.readEvent(rest));
  }

  /** Completion tokens generated so far, counted from the text seen (when no usage was reported). */
  generatedTokens(): number {
    return this.countedTokens + countTokens(this.textParts.join(''));
  }

  private drainEvents(): string {
    let out = '';
    let start = 0;
    EVENT_END.lastIndex = 0;
    for (let match = EVENT_END.exec(this.pending); match; match = EVENT_END.exec(this.pending)) {
      const end = match.index + match[0].length;
      const kept = this.readEvent(this.pending.slice(start, end));
      if (this.strip) out += kept;
      start = end;
    }
    if (start > 0) this.pending = this.pending.slice(start);
    return out;
  }

  /** Reads one complete event; returns it as the client should see it. */
  private readEvent(event: string): string {
    const message = parseData(event);
    if (!message) return event;
    this.model ??= typeof message.model === 'string' ? message.model : undefined;
    const usage = usageOf(message);
    if (usage) this.usage = mergeUsage(this.usage, usage);
    else if (!this.usage) this.holdText(message);
    if (!this.strip) return event;
    if (usage && Array.isArray(message.choices) && message.choices.length === 0) return '';
    return event.includes('"usage"') ? event.replace(USAGE_NULL, '') : event;
  }

  private holdText(message: Json): void {
    const text = generatedText(message);
    if (!text) return;
    this.textParts.push(text);
    this.textChars += text.length;
    if (this.textChars > TEXT_HOLD) {
      this.countedTokens += countTokens(this.textParts.join(''));
      this.textParts = [];
      this.textChars = 0;
    }
  }

  private giveUp(out: string): Uint8Array {
    this.gaveUp = true;
    const rest = this.pending;
    this.pending = '';
    return this.strip ? utf8(out + rest) : EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

/** The JSON of an event's `data:` lines; undefined for `[DONE]`, comments and non-JSON data. */
function parseData(event: string): Json | undefined {
  let data = '';
  for (const line of event.split(/\r?\n/)) {
    if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(line[5] === ' ' ? 6 : 5);
  }
  if (data.length === 0 || data[0] !== '{') return undefined;
  try {
    const value = JSON.parse(data) as unknown;
    return value !== null && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** The text an event adds: chat deltas, completions text, Responses and Anthropic deltas. */
function generatedText(message: Json): string | undefined {
  if (Array.isArray(message.choices)) {
    let text = '';
    for (const choice of message.choices as Json[]) text += choiceText(choice);
    return text;
  }
  if (typeof message.delta === 'string') return message.delta;
  const delta = message.delta as Json | undefined;
  if (!delta || typeof delta !== 'object') return undefined;
  if (typeof delta.text === 'string') return delta.text;
  return typeof delta.partial_json === 'string' ? delta.partial_json : undefined;
}

function choiceText(choice: Json): string {
  let text = typeof choice.text === 'string' ? choice.text : '';
  const delta = choice.delta as Json | undefined;
  if (!delta) return text;
  if (typeof delta.content === 'string') text += delta.content;
  if (typeof delta.reasoning_content === 'string') text += delta.reasoning_content;
  if (Array.isArray(delta.tool_calls)) {
    for (const call of delta.tool_calls as Json[]) {
      const args = (call.function as Json | undefined)?.arguments;
      if (typeof args === 'string') text += args;
    }
  }
  return text;
}
