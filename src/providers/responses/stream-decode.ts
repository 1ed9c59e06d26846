import type { SseEvent, StreamDecoder } from '../codec';
import type { IrEvent } from '../ir';
import { BlockSequencer } from '../translate/blocks';
import { obj, parseObject, str } from '../translate/json';
import { freeformArgs } from './custom-tools';
import { encryptedContentOf, thinkingFromItem } from './reasoning';
import { decodeResponsesError } from './response';
import { responsesUsage, stopOf } from './usage';

/**
 * OpenAI Responses SSE → IR events: each output item becomes a block (reasoning summaries and
 * reasoning text as thinking, output text as text, function calls with their argument deltas),
 * keyed by the item's id; `response.completed`/`incomplete` gives the usage and the finish, a
 * failure an error.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private readonly blocks = new BlockSequencer();
  private started = false;
  private finished = false;
  private calledTools = false;

  decode(event: SseEvent): IrEvent[] {
    const data = parseObject(event.data);
    if (!data) return [];
    const out: IrEvent[] = [];
    const type = str(data.type) ?? '';
    if (type === 'response.created' || type === 'response.in_progress') {
      this.begin(obj(data.response) ?? {}, out);
      return out;
    }
    this.begin({}, out);
    const key = `item:${str(data.item_id) ?? ''}`;
    if (type === 'response.output_item.added') this.itemAdded(obj(data.item) ?? {}, out);
    else if (type === 'response.output_text.delta' || type === 'response.refusal.delta')
      out.push({ type: 'text', index: this.blocks.ensure(out, key, 'text'), text: str(data.delta) ?? '' });
    else if (type === 'response.reasoning_summary_text.delta' || type === 'response.reasoning_text.delta') {
      const index = this.blocks.ensure(out, key, 'thinking', { origin: 'openai' });
      out.push({ type: 'thinking', index, text: str(data.delta) ?? '' });
    } else if (type === 'response.function_call_arguments.delta') {
      const index = this.blocks.indexOf(key);
      if (index !== undefined) out.push({ type: 'args', index, json: str(data.delta) ?? '' });
    } else if (type === 'response.output_item.done') this.itemDone(obj(data.item) ?? {}, out);
    else if (type === 'response.completed' || type === 'response.incomplete') this.complete(data, out);
    else if (type === 'response.failed' || type === 'error')
      out.push({ type: 'error', error: failureOf(data) });
    return out;
  }

  end(): IrEvent[] {
    const out: IrEvent[] = [];
    if (!this.started || this.finished) return out;
    this.blocks.close(out);
    out.push({ type: 'finish', stop: this.calledTools ? 'tool_use' : 'end' });
    return out;
  }

  private begin(response: Record<string, unknown>, out: IrEvent[]): void {
    if (this.started) return;
    this.started = true;
    out.push({ type: 'start', id: str(response.id) ?? '', model: str(response.model) ?? '' });
  }

  private itemAdded(item: Record<string, unknown>, out: IrEvent[]): void {
    if (item.type !== 'function_call' && item.type !== 'custom_tool_call') return;
    this.calledTools = true;
    this.blocks.ensure(out, `item:${str(item.id) ?? ''}`, 'tool_call', {
      id: str(item.call_id) ?? str(item.id) ?? '',
      name: str(item.name) ?? '',
    });
  }

  /** A reasoning item's signature (`encrypted_content`) arrives with its `done`. */
  private itemDone(item: Record<string, unknown>, out: IrEvent[]): void {
    const key = `item:${str(item.id) ?? ''}`;
    if (item.type === 'reasoning') {
      const thinking = thinkingFromItem(item);
      const signature = thinking ? encryptedContentOf(thinking) : undefined;
      if (thinking?.origin === 'openai' && signature) {
        const index = this.blocks.ensure(out, key, 'thinking', { origin: 'openai' });
        out.push({ type: 'signature', index, signature });
      }
    }
    const index = this.blocks.indexOf(key);
    // A custom call's text becomes JSON arguments whole, when it is done.
    if (item.type === 'custom_tool_call' && index !== undefined)
      out.push({ type: 'args', index, json: freeformArgs(str(item.input) ?? '') });
    if (index !== undefined) this.blocks.close(out);
  }

  private complete(data: Record<string, unknown>, out: IrEvent[]): void {
    const response = obj(data.response) ?? {};
    this.blocks.close(out);
    this.finished = true;
    out.push({ type: 'usage', usage: responsesUsage(response.usage) });
    out.push({
      type: 'finish',
      stop: stopOf(response.status, response.incomplete_details, this.calledTools),
    });
  }
}

function failureOf(data: Record<string, unknown>) {
  const error = obj(obj(data.response)?.error) ?? data;
  const code = str(error.code);
  const status = code === 'rate_limit_exceeded' ? 429 : code === 'invalid_prompt' ? 400 : 500;
  return { ...decodeResponsesError(status, { error }), message: str(error.message) ?? 'the response failed' };
}
