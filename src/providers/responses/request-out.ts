import type { Json } from '../codec';
import type { IrMessage, IrPart, IrRequest, IrResponseFormat, IrTool, IrToolChoice } from '../ir';
import { effortForBudget } from '../openai/request';
import { defined } from '../translate/json';
import { encryptedContentOf } from './reasoning';

/**
 * IR → OpenAI Responses request, stateless (`store: false`, the whole conversation in `input`).
 * Reasoning goes back only when it carries OpenAI's own `encrypted_content`.
 */
export function buildResponsesRequest(ir: IrRequest): Json {
  const input: Json[] = ir.system.slice(1).map((text) => ({ role: 'developer', content: text }));
  for (const message of ir.messages) input.push(...itemsOf(message));
  const effort =
    ir.reasoning?.effort ?? (ir.reasoning?.budget ? effortForBudget(ir.reasoning.budget) : undefined);
  return defined({
    model: ir.model,
    instructions: ir.system[0],
    input,
    tools: ir.tools.length > 0 ? ir.tools.map(responsesTool) : undefined,
    tool_choice: responsesToolChoice(ir.toolChoice),
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

function itemsOf(message: IrMessage): Json[] {
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
      items.push(...otherItem(part));
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

function otherItem(part: IrPart): Json[] {
  switch (part.type) {
    case 'tool_call':
      return [{ type: 'function_call', call_id: part.id, name: part.name, arguments: part.args || '{}' }];
    case 'tool_result': {
      const text = part.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
      return [
        { type: 'function_call_output', call_id: part.id, output: part.isError ? `Error: ${text}` : text },
      ];
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
  return defined({
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: tool.schema,
    strict: false,
  });
}

function responsesToolChoice(choice: IrToolChoice | undefined): unknown {
  if (!choice) return undefined;
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}

/** IR → `text.format`. */
export function textFormat(format: IrResponseFormat): Json {
  if (format.type === 'json_object') return { type: 'json_object' };
  const { name, schema, description, strict } = format;
  return defined({ type: 'json_schema', name, description, schema, strict });
}
