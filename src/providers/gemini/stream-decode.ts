import { randomBytes } from '../../core/crypto';
import type { SseEvent, StreamDecoder } from '../codec';
import type { IrEvent, IrStop } from '../ir';
import { BlockSequencer } from '../translate/blocks';
import { arr, obj, parseObject, str } from '../translate/json';
import { callId, idWithSignature } from './ids';
import { field } from './request';
import { decodeGeminiError, geminiStop, geminiUsage } from './response';

/**
 * Gemini `streamGenerateContent?alt=sse` → IR events. Each event is a whole
 * `GenerateContentResponse`: thought parts, text parts and whole function calls (arguments
 * complete, signature attached) become blocks in arrival order; `usageMetadata` is cumulative;
 * the finish waits for the end, and is `tool_use` whenever calls were made (Gemini says STOP).
 */
export class GenerateStreamDecoder implements StreamDecoder {
  private readonly blocks = new BlockSequencer();
  private started = false;
  private stop: IrStop | undefined;
  private calls = 0;
  private responseId = '';

  decode(event: SseEvent): IrEvent[] {
    const chunk = parseObject(event.data);
    if (!chunk) return [];
    if (chunk.error !== undefined) return [{ type: 'error', error: decodeGeminiError(500, chunk) }];
    const out: IrEvent[] = [];
    if (!this.started) {
      this.started = true;
      this.responseId = str(field(chunk, 'responseId')) ?? hex(randomBytes(8));
      // The prompt's count is on every chunk: formats that announce it first get the real one.
      const usage = obj(field(chunk, 'usageMetadata'));
      out.push({
        type: 'start',
        id: this.responseId,
        model: str(field(chunk, 'modelVersion')) ?? '',
        usage: usage ? geminiUsage(usage) : undefined,
      });
    }
    const candidate = obj(arr(chunk.candidates)[0]);
    for (const part of arr(obj(candidate?.content)?.parts)) this.part(obj(part) ?? {}, out);
    const blocked = str(field(obj(field(chunk, 'promptFeedback')) ?? {}, 'blockReason'));
    const stop =
      geminiStop(str(candidate && field(candidate, 'finishReason'))) ?? (blocked && 'content_filter');
    if (stop) {
      this.stop = stop;
      this.blocks.close(out);
    }
    const usage = field(chunk, 'usageMetadata');
    if (obj(usage)) out.push({ type: 'usage', usage: geminiUsage(usage) });
    return out;
  }

  end(): IrEvent[] {
    const out: IrEvent[] = [];
    if (!this.started) return out;
    this.blocks.close(out);
    const stop = this.stop ?? 'end';
    out.push({ type: 'finish', stop: this.calls > 0 && stop === 'end' ? 'tool_use' : stop });
    return out;
  }

  private part(part: Record<string, unknown>, out: IrEvent[]): void {
    const text = str(part.text);
    const signature = str(field(part, 'thoughtSignature'));
    const call = obj(field(part, 'functionCall'));
    if (text !== undefined && part.thought === true) {
      const index = this.blocks.ensure(out, 'thinking', 'thinking', { origin: 'gemini' });
      if (text) out.push({ type: 'thinking', index, text });
      if (signature) out.push({ type: 'signature', index, signature });
    } else if (text) {
      out.push({ type: 'text', index: this.blocks.ensure(out, 'text', 'text'), text });
    } else if (call) {
      const id = idWithSignature(str(call.id) ?? callId(this.responseId, this.calls), signature);
      const name = str(call.name) ?? '';
      const index = this.blocks.ensure(out, `tool:${this.calls++}`, 'tool_call', {
        id,
        name,
        origin: 'gemini',
      });
      out.push({ type: 'args', index, json: JSON.stringify(call.args ?? {}) });
      this.blocks.close(out);
    }
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
