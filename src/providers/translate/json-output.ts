import type { IrEvent, IrPart, IrRequest, IrResponse, IrResponseFormat, IrStop, IrTool } from '../ir';
import { parseObject } from './json';

/**
 * JSON mode and structured output for an upstream that has neither (Anthropic Messages): the
 * answer is asked for as the input of one forced tool, `json_output`, whose schema is the
 * requested one, and that tool call is turned back into the answer's text on the way back (held
 * and streamed). A schema whose root is not an object (Anthropic's tool input must be one) is
 * wrapped as `{"value": …}` and unwrapped again.
 */
export const JSON_OUTPUT_TOOL = 'json_output';

const DESCRIPTION = 'Give your final answer as the input of this tool: it is returned to the user as JSON.';

/** Whether the requested schema is wrapped as the `value` property of an object. */
function wrapped(format: IrResponseFormat): boolean {
  return format.type === 'json_schema' && format.schema.type !== 'object';
}

function outputTool(format: IrResponseFormat): IrTool {
  if (format.type === 'json_object')
    return { name: JSON_OUTPUT_TOOL, description: DESCRIPTION, schema: { type: 'object' } };
  const description = format.description ? `${DESCRIPTION} ${format.description}` : DESCRIPTION;
  const schema = wrapped(format)
    ? { type: 'object', properties: { value: format.schema }, required: ['value'] }
    : format.schema;
  return { name: JSON_OUTPUT_TOOL, description, schema };
}

/**
 * The request with the `json_output` tool added and chosen: forced when the client has no tools
 * of its own (or chose none), else any tool (its own, or `json_output` for the final answer).
 * Thinking is left out: Anthropic refuses a forced tool choice with extended thinking.
 */
export function withJsonOutputTool(ir: IrRequest): IrRequest {
  const format = ir.responseFormat;
  if (!format) return ir;
  const own = ir.toolChoice?.type === 'none' ? [] : ir.tools;
  const choice = ir.toolChoice?.type === 'tool' && own.length > 0 ? ir.toolChoice : undefined;
  return {
    ...ir,
    tools: [...own, outputTool(format)],
    toolChoice: choice ?? (own.length > 0 ? { type: 'required' } : { type: 'tool', name: JSON_OUTPUT_TOOL }),
    reasoning: undefined,
  };
}

/** The JSON text the client gets for the tool's arguments. */
function outputText(args: string, format: IrResponseFormat): string {
  if (!wrapped(format)) return args;
  const value = parseObject(args)?.value;
  return value === undefined ? args : JSON.stringify(value);
}

function unwrapStop(stop: IrStop, otherCalls: boolean): IrStop {
  return stop === 'tool_use' && !otherCalls ? 'end' : stop;
}

/** A held answer with its `json_output` call as text (the request asked for JSON). */
export function unwrapJsonOutput(response: IrResponse, format: IrResponseFormat | undefined): IrResponse {
  if (!format || !response.parts.some(isOutputCall)) return response;
  const parts = response.parts.map(
    (part): IrPart => (isOutputCall(part) ? { type: 'text', text: outputText(part.args, format) } : part),
  );
  const otherCalls = parts.some((part) => part.type === 'tool_call');
  return { ...response, parts, stop: unwrapStop(response.stop, otherCalls) };
}

function isOutputCall(part: IrPart): part is Extract<IrPart, { type: 'tool_call' }> {
  return part.type === 'tool_call' && part.name === JSON_OUTPUT_TOOL;
}

/**
 * The same for a stream, event by event: the `json_output` block becomes a text block and its
 * argument fragments text fragments (a wrapped schema's text is sent whole when the block ends,
 * since `{"value":` cannot be taken off fragments); the finish says `end` unless another tool
 * was called.
 */
export class JsonOutputStream {
  private outputIndex: number | undefined;
  private held = '';
  private otherCalls = false;

  constructor(private readonly format: IrResponseFormat) {}

  map(events: readonly IrEvent[]): IrEvent[] {
    return events.flatMap((event) => this.one(event));
  }

  private one(event: IrEvent): IrEvent[] {
    switch (event.type) {
      case 'block_start':
        if (event.kind !== 'tool_call') return [event];
        if (event.name !== JSON_OUTPUT_TOOL) {
          this.otherCalls = true;
          return [event];
        }
        this.outputIndex = event.index;
        return [{ type: 'block_start', index: event.index, kind: 'text' }];
      case 'args':
        if (event.index !== this.outputIndex) return [event];
        if (wrapped(this.format)) {
          this.held += event.json;
          return [];
        }
        return event.json === '' ? [] : [{ type: 'text', index: event.index, text: event.json }];
      case 'block_stop':
        if (event.index !== this.outputIndex || !wrapped(this.format)) return [event];
        return [{ type: 'text', index: event.index, text: outputText(this.held, this.format) }, event];
      case 'finish':
        return [{ ...event, stop: unwrapStop(event.stop, this.otherCalls) }];
      default:
        return [event];
    }
  }
}
