import { sseFrames } from './stream-validators';

/**
 * A strict validator for OpenAI Responses streams, as Codex CLI and the SDK's accumulator read
 * them: what they would reject (or silently get wrong), checked event by event. Throws with the
 * reason; returns the events.
 */

type Json = Record<string, unknown>;

export interface ResponsesEvent extends Json {
  readonly type: string;
  readonly sequence_number: number;
}

const KNOWN = new Set([
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_text.delta',
  'response.output_text.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'response.custom_tool_call_input.delta',
  'response.custom_tool_call_input.done',
  'response.reasoning_summary_part.added',
  'response.reasoning_summary_part.done',
  'response.reasoning_summary_text.delta',
  'response.reasoning_summary_text.done',
  'response.completed',
  'response.incomplete',
  'response.failed',
]);

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

function invalid(message: string): never {
  throw new Error(`invalid Responses stream: ${message}`);
}

/** The item being streamed and what its events said so far. */
interface OpenItem {
  readonly id: string;
  readonly type: string;
  readonly outputIndex: number;
  /** message: output_text parts; reasoning: summary parts (text, and whether still open). */
  readonly parts: { text: string; open: boolean }[];
  args: string;
  argsDone: boolean;
}

class ResponsesChecker {
  private open: OpenItem | undefined;
  private readonly done: Json[] = [];
  private responseId = '';
  terminal: ResponsesEvent | undefined;

  /** `usageMayLack`: the upstream reported no usage, so the final response may say null. */
  constructor(private readonly usageMayLack: boolean) {}

  check(event: ResponsesEvent, at: number): void {
    if (this.terminal) invalid(`${event.type} after ${this.terminal.type}`);
    if (at === 0) {
      this.created(event);
      return;
    }
    if (at === 1) {
      if (event.type !== 'response.in_progress') invalid('the second event is not response.in_progress');
      this.sameResponse(event);
      return;
    }
    if (TERMINAL.has(event.type)) {
      this.end(event);
      return;
    }
    if (event.type === 'response.output_item.added') {
      this.added(event);
      return;
    }
    if (event.type === 'response.output_item.done') {
      this.itemDone(event);
      return;
    }
    this.partEvent(event, this.itemOf(event));
  }

  private created(event: ResponsesEvent): void {
    if (event.type !== 'response.created') invalid('the first event is not response.created');
    const response = event.response as Json | undefined;
    if (response?.object !== 'response' || typeof response.id !== 'string')
      invalid('response.created wraps no response object');
    if (!String(response.id).startsWith('resp_')) invalid(`response id ${response.id}`);
    if (response.status !== 'in_progress') invalid(`response.created with status ${response.status}`);
    this.responseId = String(response.id);
  }

  private sameResponse(event: ResponsesEvent): void {
    const response = event.response as Json | undefined;
    if (response?.id !== this.responseId) invalid(`${event.type} for another response`);
  }

  private added(event: ResponsesEvent): void {
    if (this.open) invalid(`item ${event.output_index} added while item ${this.open.outputIndex} is open`);
    const item = event.item as Json;
    if (event.output_index !== this.done.length)
      invalid(`output_index ${event.output_index}, expected ${this.done.length}`);
    if (typeof item?.id !== 'string' || item.id === '') invalid('an item without id');
    if ((item.type === 'function_call' || item.type === 'custom_tool_call') && (!item.call_id || !item.name))
      invalid('a function_call added without call_id and name');
    this.open = {
      id: item.id,
      type: String(item.type),
      outputIndex: this.done.length,
      parts: [],
      args: '',
      argsDone: false,
    };
  }

  private itemOf(event: ResponsesEvent): OpenItem {
    const open = this.open;
    if (!open) invalid(`${event.type} without an open item`);
    if (event.item_id !== open.id || event.output_index !== open.outputIndex)
      invalid(
        `${event.type} for item ${event.item_id}@${event.output_index}, open is ${open.id}@${open.outputIndex}`,
      );
    return open;
  }

  private partEvent(event: ResponsesEvent, open: OpenItem): void {
    const kind = event.type.slice('response.'.length);
    if (kind.startsWith('content_part') || kind.startsWith('output_text')) {
      if (open.type !== 'message') invalid(`${event.type} in a ${open.type} item`);
      this.part(event, open, Number(event.content_index), kind.endsWith('added'));
      return;
    }
    if (kind.startsWith('reasoning_summary')) {
      if (open.type !== 'reasoning') invalid(`${event.type} in a ${open.type} item`);
      this.part(event, open, Number(event.summary_index), kind.endsWith('added'));
      return;
    }
    if (kind.startsWith('function_call_arguments') || kind.startsWith('custom_tool_call_input')) {
      this.callInput(event, open, kind.startsWith('custom'));
      return;
    }
    invalid(`unknown event type "${event.type}"`);
  }

  /** function_call_arguments or custom_tool_call_input events: deltas, then done with their sum. */
  private callInput(event: ResponsesEvent, open: OpenItem, custom: boolean): void {
    if (open.type !== (custom ? 'custom_tool_call' : 'function_call'))
      invalid(`${event.type} in a ${open.type} item`);
    if (open.argsDone) invalid(`${event.type} after the call's arguments were done`);
    if (event.type.endsWith('.delta')) {
      open.args += String(event.delta);
      return;
    }
    if ((custom ? event.input : event.arguments) !== open.args)
      invalid(`${event.type} differs from its deltas`);
    if (!custom) JSON.parse(open.args);
    open.argsDone = true;
  }

  /** content_part/output_text or reasoning_summary_part/text events of part `index`. */
  private part(event: ResponsesEvent, open: OpenItem, index: number, added: boolean): void {
    if (added) {
      if (index !== open.parts.length) invalid(`part index ${index}, expected ${open.parts.length}`);
      if (open.parts.some((p) => p.open)) invalid('a part added while another is open');
      open.parts.push({ text: '', open: true });
      return;
    }
    const part = open.parts[index];
    if (!part?.open) invalid(`${event.type} for part ${index}, which is not open`);
    if (event.type.endsWith('.delta')) part.text += String(event.delta);
    else if (event.type.endsWith('text.done')) {
      if (event.text !== part.text) invalid(`${event.type} text differs from its deltas`);
    } else {
      if ((event.part as Json)?.text !== part.text) invalid(`${event.type} part differs from its deltas`);
      part.open = false;
    }
  }

  private itemDone(event: ResponsesEvent): void {
    const open = this.itemOf({ ...event, item_id: (event.item as Json)?.id });
    if (open.parts.some((p) => p.open)) invalid('output_item.done while a part is open');
    const item = event.item as Json;
    const texts = open.parts.map((p) => p.text);
    if (open.type === 'message') {
      const content = (item.content as Json[]).map((c) => c.text);
      if (JSON.stringify(content) !== JSON.stringify(texts))
        invalid('the done message differs from its parts');
    } else if (open.type === 'reasoning') {
      const summary = (item.summary as Json[]).map((s) => s.text);
      if (JSON.stringify(summary) !== JSON.stringify(texts))
        invalid('the done reasoning differs from its parts');
    } else if (open.type === 'function_call' || open.type === 'custom_tool_call') {
      const args = open.type === 'function_call' ? item.arguments : item.input;
      if (!open.argsDone || args !== open.args) invalid('the done call differs from its arguments');
    }
    if (item.status !== undefined && item.status !== 'completed')
      invalid(`an item done with status ${item.status}`);
    this.done.push(item);
    this.open = undefined;
  }

  private end(event: ResponsesEvent): void {
    this.sameResponse(event);
    this.terminal = event;
    const response = event.response as Json;
    const status = event.type.slice('response.'.length);
    if (response.status !== status) invalid(`${event.type} with status ${response.status}`);
    if (status === 'failed') {
      const error = response.error as Json | null;
      if (typeof error?.code !== 'string' || typeof error.message !== 'string')
        invalid('failed without error');
      return;
    }
    if (this.open) invalid(`${event.type} while item ${this.open.outputIndex} is open`);
    if (JSON.stringify(response.output) !== JSON.stringify(this.done))
      invalid(`${event.type} output differs from the items streamed`);
    const usage = response.usage as Record<string, number> | null;
    if (usage === null && this.usageMayLack) return;
    if (!usage || typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number')
      invalid(`${event.type} without usage`);
    if (usage.total_tokens !== usage.input_tokens + usage.output_tokens)
      invalid('total_tokens is not the sum');
  }
}

/**
 * A Responses stream: each event named after its data's `type`, a known type, `sequence_number`
 * 0, 1, 2…; `response.created` then `response.in_progress` (wrapping the same response); items
 * added at sequential `output_index`, one open at a time, with an id, parts added before their
 * deltas and done with the text the deltas made, function-call arguments that parse as JSON;
 * one terminal event last: `response.completed`/`incomplete` with the full output (equal to the
 * items streamed) and usage (or, with `usageMayLack`, null), or `response.failed` with an error.
 * `ends` says which one.
 */
export function validateResponsesStream(
  text: string,
  ends: 'completed' | 'incomplete' | 'failed' = 'completed',
  options: { usageMayLack?: boolean } = {},
): ResponsesEvent[] {
  const events = sseFrames(text).map((frame, at) => {
    const data = JSON.parse(frame.data) as ResponsesEvent;
    if (frame.event !== data.type) invalid(`event "${frame.event}" carries data of type "${data.type}"`);
    if (!KNOWN.has(data.type)) invalid(`unknown event type "${data.type}"`);
    if (data.sequence_number !== at) invalid(`sequence_number ${data.sequence_number}, expected ${at}`);
    return data;
  });
  const checker = new ResponsesChecker(options.usageMayLack === true);
  for (const [at, event] of events.entries()) checker.check(event, at);
  if (checker.terminal?.type !== `response.${ends}`)
    invalid(
      `the stream ends with ${checker.terminal?.type ?? 'no terminal event'}, expected response.${ends}`,
    );
  return events;
}
