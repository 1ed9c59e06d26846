import type { EncodeContext, Json, StreamEncoder } from '../codec';
import { type IrError, type IrEvent, type IrStop, type IrUsage, mergeIrUsage, ZERO_USAGE } from '../ir';
import { sse } from '../translate/sse';
import { freeformInput, freeformNames } from './custom-tools';
import { type ItemKind, itemIdOf, responseIdOf } from './ids';
import { outputText, responseObject, summaryText } from './items';
import { failureCode } from './response';
import { type BlockHead, itemJson, type OpenItem, openItem } from './stream-item';
import { responsesUsageOut, statusOf } from './usage';

const KIND_OF_BLOCK = {
  text: 'message',
  thinking: 'reasoning',
  redacted_thinking: 'reasoning',
  tool_call: 'function_call',
} as const;

/**
 * IR events → OpenAI Responses SSE, valid for strict clients (Codex CLI, the SDK's accumulator):
 * every event named after its `type` and numbered by `sequence_number` from 0;
 * `response.created` and `response.in_progress` first; each output item announced by
 * `output_item.added` (and its part by `content_part.added` / `reasoning_summary_part.added`)
 * before any delta, closed by its `.done` events; one item open at a time; then
 * `response.completed` (or `response.incomplete`) with the full output and usage (null when the
 * upstream reported none, so the gateway's meter counts it instead of charging zero). A failure ends
 * the stream with `response.failed`.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private seq = 0;
  private started = false;
  private id = '';
  private model = '';
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private readonly output: Json[] = [];
  private open: OpenItem | undefined;
  private usage: IrUsage = ZERO_USAGE;
  /** The upstream reported usage: without it, the final `usage` is null (unknown), not zeros. */
  private reported = false;
  private stop: IrStop | undefined;
  private readonly freeform: ReadonlySet<string>;

  constructor(private readonly context: EncodeContext) {
    this.freeform = freeformNames(context.request);
  }

  encode(event: IrEvent): string {
    if (event.type === 'start') return this.begin(event.id, event.model, event.usage);
    let out = this.begin('', '');
    switch (event.type) {
      case 'block_start': {
        const custom = event.kind === 'tool_call' && this.freeform.has(event.name ?? '');
        out += this.openItem(event.index, custom ? 'custom_tool_call' : KIND_OF_BLOCK[event.kind], event);
        break;
      }
      case 'block_stop':
        if (this.open?.ir === event.index) out += this.closeItem();
        break;
      case 'text':
        out += this.textDelta(event.index, event.text);
        break;
      case 'thinking':
        out += this.thinkingDelta(event.index, event.text);
        break;
      case 'signature':
        if (this.open?.kind === 'reasoning' && this.open.ir === event.index)
          this.open.signature = (this.open.signature ?? '') + event.signature;
        break;
      case 'args':
        out += this.argsDelta(event.index, event.json);
        break;
      case 'usage':
        this.usage = mergeIrUsage(this.usage, event.usage);
        this.reported = true;
        break;
      case 'finish':
        this.stop = event.stop;
        break;
      case 'error':
        return out + this.fail(event.error);
    }
    return out;
  }

  end(): string {
    let out = this.begin('', '') + this.closeItem();
    const { status, incomplete_details } = statusOf(this.stop ?? 'end');
    const response = this.response(status, { incompleteDetails: incomplete_details });
    out += this.event(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
    return out;
  }

  fail(error: IrError): string {
    const out = this.begin('', '');
    const failure = { code: failureCode(error.kind), message: error.message };
    return out + this.event('response.failed', { response: this.response('failed', { error: failure }) });
  }

  private response(
    status: 'in_progress' | 'completed' | 'incomplete' | 'failed',
    extra: { incompleteDetails?: Json | null; error?: Json },
  ): Json {
    const done = status === 'completed' || status === 'incomplete';
    const state = {
      id: this.id,
      model: this.model,
      createdAt: this.createdAt,
      status,
      output: status === 'in_progress' ? [] : [...this.output],
      usage: done && this.reported ? responsesUsageOut(this.usage) : null,
      ...extra,
    };
    return responseObject(state, this.context);
  }

  private event(type: string, fields: Json): string {
    return sse({ type, sequence_number: this.seq++, ...fields }, type);
  }

  private begin(id: string, model: string, usage?: Partial<IrUsage>): string {
    if (this.started) return '';
    this.started = true;
    this.id = responseIdOf(id);
    this.model = model || this.context.request.model;
    if (usage) {
      this.usage = mergeIrUsage(this.usage, usage);
      this.reported = true;
    }
    const response = this.response('in_progress', {});
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private openItem(ir: number, kind: ItemKind, head: BlockHead): string {
    return this.startItem(ir, kind, head).out;
  }

  /** Closes the open item and announces a new one (a message with its one text part). */
  private startItem(ir: number, kind: ItemKind, head: BlockHead): { out: string; open: OpenItem } {
    let out = this.closeItem();
    const outputIndex = this.output.length;
    const open = openItem(kind, ir, outputIndex, itemIdOf(this.id, kind, outputIndex), head);
    this.open = open;
    const item = itemJson(open, 'in_progress');
    out += this.event('response.output_item.added', { output_index: outputIndex, item });
    if (kind === 'message')
      out += this.event('response.content_part.added', {
        ...this.at(open),
        content_index: 0,
        part: outputText(''),
      });
    return { out, open };
  }

  private at(open: OpenItem): Json {
    return { item_id: open.id, output_index: open.outputIndex };
  }

  /** The open item for a delta of `kind` at IR block `ir`, opening one when a block was not announced. */
  private ensure(ir: number, kind: ItemKind): { out: string; open: OpenItem } {
    if (this.open?.kind === kind && this.open.ir === ir) return { out: '', open: this.open };
    return this.startItem(ir, kind, {});
  }

  private textDelta(ir: number, delta: string): string {
    const { out, open } = this.ensure(ir, 'message');
    open.text += delta;
    return (
      out +
      this.event('response.output_text.delta', { ...this.at(open), content_index: 0, delta, logprobs: [] })
    );
  }

  private thinkingDelta(ir: number, delta: string): string {
    const { open, out: opened } = this.ensure(ir, 'reasoning');
    let out = opened;
    if (!open.summaryOpen) {
      open.summaryOpen = true;
      out += this.event('response.reasoning_summary_part.added', {
        ...this.at(open),
        summary_index: 0,
        part: summaryText(''),
      });
    }
    open.text += delta;
    return (
      out + this.event('response.reasoning_summary_text.delta', { ...this.at(open), summary_index: 0, delta })
    );
  }

  /**
   * Arguments without their call's item cannot be placed: dropped, never moved. A custom call's
   * JSON arguments are held: its text is sent whole when the call ends.
   */
  private argsDelta(ir: number, delta: string): string {
    const open = this.open;
    if (open?.ir !== ir || (open.kind !== 'function_call' && open.kind !== 'custom_tool_call')) return '';
    open.text += delta;
    if (open.kind === 'custom_tool_call') return '';
    return this.event('response.function_call_arguments.delta', { ...this.at(open), delta });
  }

  private closeItem(): string {
    const open = this.open;
    if (!open) return '';
    this.open = undefined;
    let out = '';
    const at = this.at(open);
    if (open.kind === 'message') {
      out += this.event('response.output_text.done', {
        ...at,
        content_index: 0,
        text: open.text,
        logprobs: [],
      });
      out += this.event('response.content_part.done', {
        ...at,
        content_index: 0,
        part: outputText(open.text),
      });
    } else if (open.kind === 'reasoning' && open.summaryOpen) {
      out += this.event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: open.text });
      out += this.event('response.reasoning_summary_part.done', {
        ...at,
        summary_index: 0,
        part: summaryText(open.text),
      });
    } else if (open.kind === 'custom_tool_call') {
      const input = freeformInput(open.text);
      out += this.event('response.custom_tool_call_input.delta', { ...at, delta: input });
      out += this.event('response.custom_tool_call_input.done', { ...at, input });
    } else if (open.kind === 'function_call') {
      // A call without arguments still gets a JSON object (as OpenAI sends it).
      if (open.text === '') {
        open.text = '{}';
        out += this.event('response.function_call_arguments.delta', { ...at, delta: '{}' });
      }
      const args = open.text;
      out += this.event('response.function_call_arguments.done', { ...at, name: open.name, arguments: args });
    }
    const item = itemJson(open, 'completed');
    this.output.push(item);
    return out + this.event('response.output_item.done', { output_index: open.outputIndex, item });
  }
}
