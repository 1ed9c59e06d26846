import type { SseEvent, StreamDecoder } from '../codec';
import type { IrBlockKind, IrEvent } from '../ir';
import { obj, parseObject, str } from '../translate/json';
import { decodeMessagesError, messagesStop, messagesUsage } from './response';

const KINDS: Record<string, IrBlockKind> = {
  text: 'text',
  thinking: 'thinking',
  redacted_thinking: 'redacted_thinking',
  tool_use: 'tool_call',
};

/**
 * Anthropic Messages SSE → IR events. Block indices are renumbered (blocks of kinds the IR does
 * not carry, such as server tool results, are skipped with their deltas).
 */
export class MessagesStreamDecoder implements StreamDecoder {
  private readonly indices = new Map<number, number>();
  private next = 0;

  decode(event: SseEvent): IrEvent[] {
    const data = parseObject(event.data);
    if (!data) return [];
    switch (data.type) {
      case 'message_start': {
        const message = obj(data.message) ?? {};
        return [
          {
            type: 'start',
            id: str(message.id) ?? '',
            model: str(message.model) ?? '',
            usage: messagesUsage(message.usage),
          },
        ];
      }
      case 'content_block_start':
        return this.blockStart(data);
      case 'content_block_delta':
        return this.delta(data);
      case 'content_block_stop': {
        const index = this.indices.get(Number(data.index));
        return index === undefined ? [] : [{ type: 'block_stop', index }];
      }
      case 'message_delta': {
        const delta = obj(data.delta) ?? {};
        const out: IrEvent[] = [{ type: 'usage', usage: messagesUsage(data.usage) }];
        const reason = str(delta.stop_reason);
        if (reason)
          out.push({ type: 'finish', stop: messagesStop(reason), stopSequence: str(delta.stop_sequence) });
        return out;
      }
      case 'error':
        return [{ type: 'error', error: decodeMessagesError(500, data) }];
      default:
        return [];
    }
  }

  end(): IrEvent[] {
    return [];
  }

  private blockStart(data: Record<string, unknown>): IrEvent[] {
    const block = obj(data.content_block) ?? {};
    const kind = KINDS[str(block.type) ?? ''];
    if (!kind) return [];
    const index = this.next++;
    this.indices.set(Number(data.index), index);
    const out: IrEvent[] = [
      {
        type: 'block_start',
        index,
        kind,
        id: str(block.id),
        name: str(block.name),
        data: str(block.data),
        origin: 'anthropic',
      },
    ];
    if (kind === 'text' && str(block.text)) out.push({ type: 'text', index, text: str(block.text) ?? '' });
    if (kind === 'thinking' && str(block.thinking))
      out.push({ type: 'thinking', index, text: str(block.thinking) ?? '' });
    return out;
  }

  private delta(data: Record<string, unknown>): IrEvent[] {
    const index = this.indices.get(Number(data.index));
    const delta = obj(data.delta);
    if (index === undefined || !delta) return [];
    switch (delta.type) {
      case 'text_delta':
        return [{ type: 'text', index, text: str(delta.text) ?? '' }];
      case 'thinking_delta':
        return [{ type: 'thinking', index, text: str(delta.thinking) ?? '' }];
      case 'signature_delta':
        return [{ type: 'signature', index, signature: str(delta.signature) ?? '' }];
      case 'input_json_delta':
        return str(delta.partial_json) ? [{ type: 'args', index, json: str(delta.partial_json) ?? '' }] : [];
      default:
        return [];
    }
  }
}
