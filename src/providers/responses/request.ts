import type { Json } from '../codec';
import type { IrMessage, IrPart, IrRequest, IrResponseFormat, IrTool, IrToolChoice } from '../ir';
import { parseResponseFormat } from '../openai/response-format';
import { arr, num, obj, str } from '../translate/json';
import { freeformArgs, freeformTool } from './custom-tools';
import { thinkingFromItem } from './reasoning';

/**
 * OpenAI Responses request → IR. `input` is a string or a list of items: messages (system and
 * developer ones become system instructions, in order, after `instructions`), function calls and
 * their outputs, reasoning items. Server-side state (`previous_response_id`, `conversation`) is
 * not read here: the translating path refuses it (src/providers/translate/prepare.ts).
 */
export function parseResponsesRequest(body: Json): IrRequest {
  const system: string[] = [];
  const instructions = str(body.instructions);
  if (instructions) system.push(instructions);
  const messages: IrMessage[] = [];
  if (typeof body.input === 'string') pushTo(messages, 'user', textParts(body.input));
  else for (const raw of arr(body.input)) readItem(obj(raw) ?? {}, system, messages);
  return {
    model: str(body.model) ?? '',
    system,
    messages,
    tools: arr(body.tools).flatMap(parseTool),
    toolChoice: parseToolChoice(body.tool_choice),
    parallelToolCalls: typeof body.parallel_tool_calls === 'boolean' ? body.parallel_tool_calls : undefined,
    maxTokens: num(body.max_output_tokens),
    temperature: num(body.temperature),
    topP: num(body.top_p),
    stop: [],
    stream: body.stream === true,
    streamUsage: false,
    reasoning: parseReasoning(obj(body.reasoning)?.effort),
    user: str(body.safety_identifier) ?? str(body.user),
    responseFormat: textFormat(obj(obj(body.text)?.format)),
  };
}

function readItem(item: Json, system: string[], messages: IrMessage[]): void {
  const type = str(item.type) ?? (item.role !== undefined ? 'message' : undefined);
  if (type === 'message') {
    const role = str(item.role);
    if (role === 'system' || role === 'developer') system.push(contentText(item.content));
    else pushTo(messages, role === 'assistant' ? 'assistant' : 'user', contentParts(item.content));
  } else if (type === 'function_call') {
    const args = str(item.arguments) ?? '';
    pushTo(messages, 'assistant', [
      { type: 'tool_call', id: callId(item), name: str(item.name) ?? '', args },
    ]);
  } else if (type === 'custom_tool_call') {
    const args = freeformArgs(str(item.input) ?? '');
    pushTo(messages, 'assistant', [
      { type: 'tool_call', id: callId(item), name: str(item.name) ?? '', args },
    ]);
  } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
    const output = item.output;
    const content = typeof output === 'string' ? textParts(output) : contentParts(output);
    pushTo(messages, 'user', [{ type: 'tool_result', id: callId(item), content, isError: false }]);
  } else if (type === 'reasoning') {
    const thinking = thinkingFromItem(item);
    if (thinking) pushTo(messages, 'assistant', [thinking]);
  }
}

/** A call's id as the client pairs calls and outputs with it (`call_id`; `id` is the item's). */
function callId(item: Json): string {
  return str(item.call_id) ?? str(item.id) ?? '';
}

/** Consecutive parts of one role go into one message (a turn's calls after its text). */
function pushTo(messages: IrMessage[], role: IrMessage['role'], parts: IrPart[]): void {
  if (parts.length === 0) return;
  const last = messages[messages.length - 1];
  if (last && last.role === role) messages[messages.length - 1] = { role, parts: [...last.parts, ...parts] };
  else messages.push({ role, parts });
}

function textParts(text: string): IrPart[] {
  return text === '' ? [] : [{ type: 'text', text }];
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((part) => str(obj(part)?.text) ?? '')
    .join('');
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** Message content: text of any kind (`input_text`, `output_text`, a refusal) and images. */
function contentParts(content: unknown): IrPart[] {
  if (typeof content === 'string') return textParts(content);
  const parts: IrPart[] = [];
  for (const raw of arr(content)) {
    const part = obj(raw) ?? {};
    const text = str(part.text) ?? str(part.refusal);
    if (text) parts.push({ type: 'text', text });
    const url = part.type === 'input_image' ? str(part.image_url) : undefined;
    if (url) {
      const match = DATA_URL.exec(url);
      parts.push(match ? { type: 'image', mediaType: match[1], data: match[2] } : { type: 'image', url });
    }
  }
  return parts;
}

/** Function and custom tools: built-in tools (web search, file search, …) have no equivalent elsewhere. */
function parseTool(raw: unknown): IrTool[] {
  const tool = obj(raw);
  const name = str(tool?.name);
  if (tool?.type === 'custom') {
    const custom = freeformTool(tool);
    return custom ? [custom] : [];
  }
  if (tool?.type !== 'function' || !name) return [];
  return [
    {
      name,
      description: str(tool.description),
      schema: obj(tool.parameters) ?? { type: 'object', properties: {} },
    },
  ];
}

function parseToolChoice(value: unknown): IrToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  const choice = obj(value);
  if ((choice?.type === 'function' || choice?.type === 'custom') && str(choice.name))
    return { type: 'tool', name: str(choice.name) ?? '' };
  if (choice?.type === 'allowed_tools') return { type: choice.mode === 'required' ? 'required' : 'auto' };
  return undefined;
}

/** Efforts the other formats know: `minimal` is the least they have, `xhigh` the most, `none` is off. */
function parseReasoning(effort: unknown): IrRequest['reasoning'] {
  if (effort === 'minimal' || effort === 'low') return { effort: 'low' };
  if (effort === 'medium') return { effort: 'medium' };
  if (effort === 'high' || effort === 'xhigh') return { effort: 'high' };
  return undefined;
}

/** `text.format` → IR (plain `text`: none); its fields are the schema's, not nested. */
function textFormat(format: Json | undefined): IrResponseFormat | undefined {
  return parseResponseFormat(format?.type, format);
}
