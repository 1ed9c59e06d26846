import type { EncodeContext, Json, StreamEncoder } from '../codec';
import { type IrError, type IrEvent, type IrStop, type IrUsage, mergeIrUsage, ZERO_USAGE } from '../ir';
import { parseObject } from '../translate/json';
import { sse } from '../translate/sse';
import { encodeGeminiError, geminiFinishReason, geminiUsageOut } from './response';

/**
 * IR events → Gemini SSE (`alt=sse`): bare `data:` events, each a whole
 * `GenerateContentResponse` with one candidate. Text and thoughts go out as they come; a
 * function call goes out whole once its arguments are complete (Gemini never streams them);
 * the last event carries the `finishReason` and the `usageMetadata`.
 */
export class GenerateStreamEncoder implements StreamEncoder {
  private id = '';
  private model = '';
  private readonly calls = new Map<number, { id: string; name: string; args: string }>();
  private usage: IrUsage = ZERO_USAGE;
  private stop: IrStop | undefined;

  constructor(private readonly context: EncodeContext) {
    this.model = context.request.model;
  }

  encode(event: IrEvent): string {
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.model = event.model || this.model;
        if (event.usage) this.usage = mergeIrUsage(this.usage, event.usage);
        return '';
      case 'block_start':
        if (event.kind === 'tool_call')
          this.calls.set(event.index, { id: event.id ?? '', name: event.name ?? '', args: '' });
        return '';
      case 'text':
        return event.text === '' ? '' : this.chunk([{ text: event.text }]);
      case 'thinking':
        return event.text === '' ? '' : this.chunk([{ text: event.text, thought: true }]);
      case 'args': {
        const call = this.calls.get(event.index);
        if (call) call.args += event.json;
        return '';
      }
      case 'block_stop':
        return this.callDone(event.index);
      case 'usage':
        this.usage = mergeIrUsage(this.usage, event.usage);
        return '';
      case 'finish':
        this.stop = event.stop;
        return '';
      case 'error':
        return this.fail(event.error);
      default:
        return '';
    }
  }

  end(): string {
    const usage =
      this.usage.inputUncached + this.usage.cacheRead + this.usage.cacheWrite > 0
        ? this.usage
        : { ...this.usage, inputUncached: this.context.estimatedInput };
    return sse(
      this.frame(
        [
          {
            content: { role: 'model', parts: [] },
            finishReason: geminiFinishReason(this.stop ?? 'end'),
            index: 0,
          },
        ],
        { usageMetadata: geminiUsageOut(usage) },
      ),
    );
  }

  fail(error: IrError): string {
    return sse(encodeGeminiError(error));
  }

  private callDone(index: number): string {
    const call = this.calls.get(index);
    if (!call) return '';
    this.calls.delete(index);
    const args = parseObject(call.args.trim() === '' ? '{}' : call.args) ?? {};
    return this.chunk([{ functionCall: { id: call.id, name: call.name, args } }]);
  }

  private chunk(parts: Json[]): string {
    return sse(this.frame([{ content: { role: 'model', parts }, index: 0 }]));
  }

  private frame(candidates: Json[], extra: Json = {}): Json {
    return { candidates, ...extra, modelVersion: this.model, responseId: this.id };
  }
}
