import type { Json } from '../codec';
import type { IrMessage, IrPart, IrRequest, IrResponseFormat, IrTool, IrToolChoice } from '../ir';
import { effortForBudget } from '../openai/request';
import { defined } from '../translate/json';
import { freeformInput, freeformNames } from './custom-tools';
import { encryptedContentOf } from './reasoning';

/**
 * IR → OpenAI Responses request, stateless (`store: false`, the whole conversation in `input`).
 * Reasoning goes back only when it carries OpenAI's own `encrypted_content`.
 */
export function buildResponsesRequest(ir: IrRequest): Json {
  const input: Json[] = ir.system.slice(1).map((text) => ({ role: 'developer', content: text }));
  const custom = customCalls(ir);
  for (const message of ir.messages) input.push(...itemsOf(message, custom));
  const effort =
    ir.reasoning?.effort ?? (ir.reasoning?.budget ? effortForBudget(ir.reasoning.budget) : undefined);
  return defined({
    model: ir.model,
    instructions: ir.system[0],
    input,
    tools: ir.tools.length > 0 ? ir.tools.map(responsesTool) : undefined,
    tool_choice: responsesToolChoice(ir.toolChoice, freeformNames(ir)),
    parallel_tool_calls: ir.tools.length > 0 ? ir.parallelToolCalls : undefined,
    max_output_tokens: ir.maxTokens,
    temperature: ir.temperature,
    top_p: ir.topP,
    reasoning: effort ? { effort } : undefined,
    include: effort ? ['reasoning.encrypted_content'] : undefined,
    text: ir.responseFormat ? { format: textFormat(ir.responseFormat) } : undefined,
    safety_identifier: ir.user,
    store: false,
    stream: ir.stream ? true : undefined,
  });
}

/** The ids of the calls of freeform tools (their outputs are `custom_tool_call_output` items). */
function customCalls(ir: IrRequest): ReadonlySet<string> {
  const freeform = freeformNames(ir);
  const ids = new Set<string>();
  for (const message of ir.messages)
    for (const part of message.parts)
      if (part.type === 'tool_call' && freeform.has(part.name)) ids.add(part.id);
  return ids;
}

function itemsOf(message: IrMessage, custom: ReadonlySet<string>): Json[] {
  const items: Json[] = [];
  let content: Json[] = [];
  const flush = () => {
    if (content.length > 0) items.push({ role: message.role, content });
    content = [];
  };
  for (const part of message.parts) {
    if (part.type === 'text' || part.type === 'image') content.push(contentPart(part, message.role));
    else {
      flush();
      items.push(...otherItem(part, custom));
    }
  }
  flush();
  return items;
}

function contentPart(part: Extract<IrPart, { type: 'text' | 'image' }>, role: IrMessage['role']): Json {
  if (part.type === 'text')
    return { type: role === 'assistant' ? 'output_text' : 'input_text', text: part.text };
  const url =
    part.data !== undefined ? `data:${part.mediaType ?? 'image/png'};base64,${part.data}` : (part.url ?? '');
  return { type: 'input_image', image_url: url, detail: 'auto' };
}

function otherItem(part: IrPart, custom: ReadonlySet<string>): Json[] {
  switch (part.type) {
    case 'tool_call':
      if (custom.has(part.id))
        return [
          { type: 'custom_tool_call', call_id: part.id, name: part.name, input: freeformInput(part.args) },
        ];
      return [{ type: 'function_call', call_id: part.id, name: part.name, arguments: part.args || '{}' }];
    case 'tool_result': {
      const text = part.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
      const output = part.isError ? `Error: ${text}` : text;
      const type = custom.has(part.id) ? 'custom_tool_call_output' : 'function_call_output';
      return [{ type, call_id: part.id, output }];
    }
    case 'thinking':
    case 'redacted_thinking': {
      if (part.origin !== 'openai') return [];
      const encrypted = encryptedContentOf(part);
      if (!encrypted) return [];
      const summary =
        part.type === 'thinking' && part.text ? [{ type: 'summary_text', text: part.text }] : [];
      return [{ type: 'reasoning', summary, encrypted_content: encrypted }];
    }
    default:
      return [];
  }
}

function responsesTool(tool: IrTool): Json {
  if (tool.freeform) return defined({ type: 'custom', name: tool.name, description: tool.description });
  return defined({
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: tool.schema,
    strict: false,
  });
}

function responsesToolChoice(choice: IrToolChoice | undefined, freeform: ReadonlySet<string>): unknown {
  if (!choice) return undefined;
  if (choice.type !== 'tool') return choice.type;
  return { type: freeform.has(choice.name) ? 'custom' : 'function', name: choice.name };
}

/** IR → `text.format`. */
export function textFormat(format: IrResponseFormat): Json {
  if (format.type === 'json_object') return { type: 'json_object' };
  const { name, schema, description, strict } = format;
  return defined({ type: 'json_schema', name, description, schema, strict });
}
