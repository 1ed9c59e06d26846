import type { EncodeContext, Json, StreamEncoder } from '../codec';
import {
  type IrBlockKind,
  type IrError,
  type IrEvent,
  type IrStop,
  type IrUsage,
  mergeIrUsage,
  type Origin,
  ZERO_USAGE,
} from '../ir';
import { sse } from '../translate/sse';
import { toolId } from './request';
import { encodeMessagesError, messageId, messagesStopReason, messagesUsageOut } from './response';

const DELTA_OF: Partial<Record<IrEvent['type'], IrBlockKind>> = {
  text: 'text',
  thinking: 'thinking',
  signature: 'thinking',
  args: 'tool_call',
};

/**
 * IR events → Anthropic Messages SSE, valid for strict clients: `message_start` first with real
 * (or estimated) `input_tokens`; blocks with unique sequential indices, one open at a time,
 * each delta of its block's type (a delta without its block opens one of the right type);
 * `message_delta` with the stop reason and usage, then `message_stop`, once, at the end.
 */
export class MessagesStreamEncoder implements StreamEncoder {
  private started = false;
  private next = 0;
  private open: { ir: number; index: number; kind: IrBlockKind; origin?: Origin } | undefined;
  private usage: IrUsage = ZERO_USAGE;
  private stop: IrStop | undefined;
  private stopSequence: string | undefined;

  constructor(private readonly context: EncodeContext) {}

  encode(event: IrEvent): string {
    if (event.type === 'start') return this.begin(event.id, event.model, event.usage);
    let out = this.begin('', this.context.request.model);
    switch (event.type) {
      case 'block_start':
        out += this.openBlock(event.index, event.kind, event);
        break;
      case 'block_stop':
        if (this.open?.ir === event.index) out += this.closeBlock();
        break;
      case 'usage':
        this.usage = mergeIrUsage(this.usage, event.usage);
        break;
      case 'finish':
        this.stop = event.stop;
        this.stopSequence = event.stopSequence;
        break;
      case 'error':
        return out + this.fail(event.error);
      default:
        out += this.delta(event);
    }
    return out;
  }

  end(): string {
    let out = this.begin('', this.context.request.model);
    out += this.closeBlock();
    const usage = messagesUsageOut(this.usage, this.context.estimatedInput);
    out += sse(
      {
        type: 'message_delta',
        delta: {
          stop_reason: messagesStopReason(this.stop ?? 'end'),
          stop_sequence: this.stopSequence ?? null,
        },
        usage,
      },
      'message_delta',
    );
    return out + sse({ type: 'message_stop' }, 'message_stop');
  }

  fail(error: IrError): string {
    return sse(encodeMessagesError(error), 'error');
  }

  private begin(id: string, model: string, usage?: Partial<IrUsage>): string {
    if (this.started) return '';
    this.started = true;
    if (usage) this.usage = mergeIrUsage(this.usage, usage);
    const message = {
      id: messageId(id),
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        ...messagesUsageOut(this.usage, this.context.estimatedInput),
        output_tokens: this.usage.output,
      },
    };
    return sse({ type: 'message_start', message }, 'message_start');
  }

  private openBlock(
    ir: number,
    kind: IrBlockKind,
    event: { id?: string; name?: string; data?: string; origin?: Origin },
  ): string {
    let out = this.closeBlock();
    const index = this.next++;
    this.open = { ir, index, kind, origin: event.origin };
    const block: Json =
      kind === 'text'
        ? { type: 'text', text: '' }
        : kind === 'thinking'
          ? { type: 'thinking', thinking: '', signature: '' }
          : kind === 'redacted_thinking'
            ? { type: 'redacted_thinking', data: event.data ?? '' }
            : {
                type: 'tool_use',
                id: toolId(event.id ?? `toolu_${index}`),
                name: event.name ?? '',
                input: {},
              };
    out += sse({ type: 'content_block_start', index, content_block: block }, 'content_block_start');
    return out;
  }

  private closeBlock(): string {
    if (!this.open) return '';
    const { index } = this.open;
    this.open = undefined;
    return sse({ type: 'content_block_stop', index }, 'content_block_stop');
  }

  private delta(event: IrEvent): string {
    const kind = DELTA_OF[event.type];
    if (!kind) return '';
    let out = '';
    if (this.open?.kind !== kind || this.open.ir !== ('index' in event ? event.index : -1)) {
      // A signature or arguments without their own block cannot be placed: dropped, never moved.
      if (event.type === 'signature' || event.type === 'args') return '';
      out += this.openBlock('index' in event ? event.index : -1, kind, {});
    }
    // Another family's signature (Gemini's thoughtSignature) is not Anthropic's: the block keeps
    // its empty one, as in a held answer.
    if (event.type === 'signature' && this.open?.origin !== 'anthropic') return out;
    const index = this.open?.index ?? 0;
    const delta =
      event.type === 'text'
        ? { type: 'text_delta', text: event.text }
        : event.type === 'thinking'
          ? { type: 'thinking_delta', thinking: event.text }
          : event.type === 'signature'
            ? { type: 'signature_delta', signature: event.signature }
            : event.type === 'args'
              ? { type: 'input_json_delta', partial_json: event.json }
              : undefined;
    if (!delta) return out;
    return out + sse({ type: 'content_block_delta', index, delta }, 'content_block_delta');
  }
}
