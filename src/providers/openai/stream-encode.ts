import type { EncodeContext, Json, StreamEncoder } from '../codec';
import { type IrError, type IrEvent, type IrStop, type IrUsage, mergeIrUsage, ZERO_USAGE } from '../ir';
import { sse } from '../translate/sse';
import { chatFinishReason, chatUsageOut, encodeChatError } from './response';

/**
 * IR events → OpenAI Chat chunks: a role chunk first, content and `reasoning_content` deltas,
 * each tool call with a stable `index` (id, type and name once, then argument fragments), the
 * finish reason, the usage chunk when the client asked for it, then `[DONE]`.
 */
export class ChatStreamEncoder implements StreamEncoder {
  private id = 'chatcmpl-switchyard';
  private model = '';
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly toolIndex = new Map<number, number>();
  private usage: IrUsage = ZERO_USAGE;
  private stop: IrStop | undefined;
  private started = false;

  constructor(private readonly context: EncodeContext) {}

  encode(event: IrEvent): string {
    switch (event.type) {
      case 'start':
        this.id = event.id || this.id;
        this.model = event.model;
        if (event.usage) this.usage = mergeIrUsage(this.usage, event.usage);
        return this.begin();
      case 'block_start':
        if (event.kind !== 'tool_call') return '';
        this.toolIndex.set(event.index, this.toolIndex.size);
        return this.chunk({
          tool_calls: [
            {
              index: this.toolIndex.size - 1,
              id: event.id,
              type: 'function',
              function: { name: event.name, arguments: '' },
            },
          ],
        });
      case 'text':
        return this.chunk({ content: event.text });
      case 'thinking':
        return this.chunk({ reasoning_content: event.text });
      case 'args': {
        const index = this.toolIndex.get(event.index);
        return index === undefined
          ? ''
          : this.chunk({ tool_calls: [{ index, function: { arguments: event.json } }] });
      }
      case 'usage':
        this.usage = mergeIrUsage(this.usage, event.usage);
        return '';
      case 'finish':
        this.stop = event.stop;
        return '';
      case 'error':
        return sse(encodeChatError(event.error));
      default:
        return '';
    }
  }

  end(): string {
    let out = this.begin();
    out += this.chunk({}, chatFinishReason(this.stop ?? 'end'));
    if (this.context.request.streamUsage)
      out += sse({ ...this.frame(), choices: [], usage: chatUsageOut(this.usage) });
    return `${out}data: [DONE]\n\n`;
  }

  fail(error: IrError): string {
    return sse(encodeChatError(error));
  }

  private begin(): string {
    if (this.started) return '';
    this.started = true;
    return this.chunk({ role: 'assistant', content: '' });
  }

  private frame(): Json {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private chunk(delta: Json, finish: string | null = null): string {
    return sse({ ...this.frame(), choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
  }
}
