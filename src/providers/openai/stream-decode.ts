import type { SseEvent, StreamDecoder } from '../codec';
import type { IrEvent, IrStop } from '../ir';
import { BlockSequencer } from '../translate/blocks';
import { arr, obj, parseObject, str } from '../translate/json';
import { chatStop, chatUsage, decodeChatError } from './response';

/**
 * OpenAI Chat chunks → IR events. Reasoning (`reasoning_content`, DeepSeek style), text and each
 * tool call (by its `index`) become blocks in arrival order; a call whose id arrives opens its
 * block, its argument fragments follow. The finish waits for the end so the usage-only chunk
 * that follows it (`include_usage`) is not lost.
 */
export class ChatStreamDecoder implements StreamDecoder {
  private readonly blocks = new BlockSequencer();
  private started = false;
  private stop: IrStop | undefined;
  private sawCalls = false;
  /** The id of the call last seen at each tool-call index, and how many calls were opened. */
  private readonly callIds = new Map<number, string>();
  private calls = 0;

  decode(event: SseEvent): IrEvent[] {
    if (event.data === '[DONE]') return [];
    const chunk = parseObject(event.data);
    if (!chunk) return [];
    const out: IrEvent[] = [];
    if (chunk.error !== undefined) {
      out.push({ type: 'error', error: decodeChatError(500, chunk) });
      return out;
    }
    if (!this.started) {
      this.started = true;
      out.push({ type: 'start', id: str(chunk.id) ?? '', model: str(chunk.model) ?? '' });
    }
    const choice = obj(arr(chunk.choices)[0]);
    if (choice) this.choice(choice, out);
    if (obj(chunk.usage)) out.push({ type: 'usage', usage: chatUsage(chunk.usage) });
    return out;
  }

  end(): IrEvent[] {
    const out: IrEvent[] = [];
    if (!this.started) return out;
    this.blocks.close(out);
    const stop = this.stop ?? 'end';
    out.push({ type: 'finish', stop: this.sawCalls && stop === 'end' ? 'tool_use' : stop });
    return out;
  }

  private choice(choice: Record<string, unknown>, out: IrEvent[]): void {
    const delta = obj(choice.delta) ?? {};
    const reasoning = str(delta.reasoning_content) ?? str(delta.reasoning);
    if (reasoning) {
      const index = this.blocks.ensure(out, 'thinking', 'thinking', { origin: 'openai' });
      out.push({ type: 'thinking', index, text: reasoning });
    }
    const content = str(delta.content);
    if (content) out.push({ type: 'text', index: this.blocks.ensure(out, 'text', 'text'), text: content });
    for (const raw of arr(delta.tool_calls)) this.toolCall(obj(raw) ?? {}, out);
    const finish = str(choice.finish_reason);
    if (finish) {
      this.stop = chatStop(finish);
      this.blocks.close(out);
    }
  }

  private toolCall(call: Record<string, unknown>, out: IrEvent[]): void {
    const position = typeof call.index === 'number' ? call.index : 0;
    const fn = obj(call.function) ?? {};
    const id = str(call.id);
    const name = str(fn.name);
    // A new id at a known index is a new call (servers that send every call at index 0); a call
    // without any id is one per index.
    const known = this.callIds.get(position);
    const fresh = id !== undefined ? id !== known : known === undefined;
    let index = this.blocks.indexOf(`tool:${position}:${known}`);
    if (fresh) {
      const callId = id ?? `call_${this.calls}`;
      this.calls++;
      this.sawCalls = true;
      this.callIds.set(position, callId);
      index = this.blocks.ensure(out, `tool:${position}:${callId}`, 'tool_call', {
        id: callId,
        name: name ?? '',
      });
    }
    const args = str(fn.arguments);
    // Fragments of a call whose block is no longer open cannot be placed: they are dropped.
    if (index !== undefined && args) out.push({ type: 'args', index, json: args });
  }
}
