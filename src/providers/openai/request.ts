import type { Json } from '../codec';
import type { IrMessage, IrPart, IrRequest, IrTool, IrToolChoice } from '../ir';
import { arr, defined, num, obj, str } from '../translate/json';
import { chatResponseFormat, parseChatResponseFormat } from './response-format';

/** OpenAI Chat Completions request → IR. */
export function parseChatRequest(body: Json): IrRequest {
  const system: string[] = [];
  const messages: IrMessage[] = [];
  for (const raw of arr(body.messages)) {
    const message = obj(raw);
    if (!message) continue;
    const role = str(message.role);
    if (role === 'system' || role === 'developer') system.push(contentText(message.content));
    else if (role === 'tool') pushTo(messages, 'user', [toolResult(message)]);
    else if (role === 'assistant') pushTo(messages, 'assistant', assistantParts(message));
    else pushTo(messages, 'user', contentParts(message.content));
  }
  const options = obj(body.stream_options);
  const effort = str(body.reasoning_effort);
  return {
    model: str(body.model) ?? '',
    system,
    messages,
    tools: arr(body.tools).flatMap(parseTool),
    toolChoice: parseToolChoice(body.tool_choice),
    parallelToolCalls: typeof body.parallel_tool_calls === 'boolean' ? body.parallel_tool_calls : undefined,
    maxTokens: num(body.max_completion_tokens) ?? num(body.max_tokens),
    temperature: num(body.temperature),
    topP: num(body.top_p),
    stop: typeof body.stop === 'string' ? [body.stop] : arr(body.stop).filter((s) => typeof s === 'string'),
    stream: body.stream === true,
    streamUsage: options?.include_usage === true,
    reasoning: effort === 'low' || effort === 'medium' || effort === 'high' ? { effort } : undefined,
    user: str(body.user),
    responseFormat: parseChatResponseFormat(body.response_format),
    choices: num(body.n),
  };
}

/** Consecutive parts of one role go into one message (tool results then the user's text). */
function pushTo(messages: IrMessage[], role: IrMessage['role'], parts: IrPart[]): void {
  const last = messages[messages.length - 1];
  if (last && last.role === role) messages[messages.length - 1] = { role, parts: [...last.parts, ...parts] };
  else messages.push({ role, parts });
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((part) => str(obj(part)?.text) ?? '')
    .join('');
}

function contentParts(content: unknown): IrPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const parts: IrPart[] = [];
  for (const raw of arr(content)) {
    const part = obj(raw);
    if (part?.type === 'text' && typeof part.text === 'string') parts.push({ type: 'text', text: part.text });
    if (part?.type === 'image_url') {
      const url = str(obj(part.image_url)?.url) ?? '';
      parts.push(imageFromUrl(url));
    }
  }
  return parts;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function imageFromUrl(url: string): IrPart {
  const match = DATA_URL.exec(url);
  return match ? { type: 'image', mediaType: match[1], data: match[2] } : { type: 'image', url };
}

function assistantParts(message: Json): IrPart[] {
  const parts: IrPart[] = [];
  const reasoning = str(message.reasoning_content);
  if (reasoning) parts.push({ type: 'thinking', text: reasoning, origin: 'openai' });
  parts.push(...contentParts(message.content));
  for (const raw of arr(message.tool_calls)) {
    const call = obj(raw);
    const fn = obj(call?.function);
    if (!call || !fn) continue;
    parts.push({
      type: 'tool_call',
      id: str(call.id) ?? '',
      name: str(fn.name) ?? '',
      args: str(fn.arguments) ?? '',
    });
  }
  return parts;
}

function toolResult(message: Json): IrPart {
  return {
    type: 'tool_result',
    id: str(message.tool_call_id) ?? '',
    content: contentParts(message.content),
    isError: false,
  };
}

function parseTool(raw: unknown): IrTool[] {
  const fn = obj(obj(raw)?.function);
  const name = str(fn?.name);
  if (!fn || !name) return [];
  return [
    {
      name,
      description: str(fn.description),
      schema: obj(fn.parameters) ?? { type: 'object', properties: {} },
    },
  ];
}

function parseToolChoice(value: unknown): IrToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  const name = str(obj(obj(value)?.function)?.name);
  return name ? { type: 'tool', name } : undefined;
}

/** Anthropic thinking budgets as OpenAI efforts (the usual thresholds). */
export function effortForBudget(budget: number): 'low' | 'medium' | 'high' {
  if (budget <= 1024) return 'low';
  if (budget <= 8192) return 'medium';
  return 'high';
}

/**
 * The field that limits the answer: OpenAI's own API wants `max_completion_tokens` (its reasoning
 * models refuse `max_tokens`); many compatible servers know only `max_tokens`.
 */
export type TokenLimitField = 'max_completion_tokens' | 'max_tokens';

/** IR → OpenAI Chat Completions request. Thinking from history is not sent (Chat takes none). */
export function buildChatRequest(ir: IrRequest, limitField: TokenLimitField = 'max_tokens'): Json {
  const messages: Json[] = ir.system.map((content) => ({ role: 'system', content }));
  for (const message of ir.messages) messages.push(...chatMessages(message));
  const effort =
    ir.reasoning?.effort ?? (ir.reasoning?.budget ? effortForBudget(ir.reasoning.budget) : undefined);
  return defined({
    model: ir.model,
    messages,
    tools: ir.tools.length > 0 ? ir.tools.map(chatTool) : undefined,
    tool_choice: chatToolChoice(ir.toolChoice),
    parallel_tool_calls: ir.tools.length > 0 ? ir.parallelToolCalls : undefined,
    [limitField]: ir.maxTokens,
    temperature: ir.temperature,
    top_p: ir.topP,
    stop: ir.stop.length > 0 ? ir.stop : undefined,
    reasoning_effort: effort,
    user: ir.user,
    response_format: chatResponseFormat(ir.responseFormat),
    n: ir.choices,
    stream: ir.stream ? true : undefined,
    stream_options: ir.stream ? { include_usage: true } : undefined,
  });
}

function chatTool(tool: IrTool): Json {
  return {
    type: 'function',
    function: defined({ name: tool.name, description: tool.description, parameters: tool.schema }),
  };
}

function chatToolChoice(choice: IrToolChoice | undefined): unknown {
  if (!choice) return undefined;
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

/**
 * One IR message as Chat messages. A user turn's tool results come first, as `tool` messages
 * right after the assistant's calls (Chat requires it); images inside a tool result, which a
 * `tool` message cannot hold, follow in the user message instead of being lost.
 */
function chatMessages(message: IrMessage): Json[] {
  if (message.role === 'assistant') return [assistantMessage(message.parts)];
  const out: Json[] = [];
  const rest: Json[] = [];
  for (const part of message.parts) {
    if (part.type === 'tool_result') {
      const text = part.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
      out.push({ role: 'tool', tool_call_id: part.id, content: part.isError ? `Error: ${text}` : text });
      for (const inner of part.content) if (inner.type === 'image') rest.push(userPart(inner));
    } else if (part.type === 'text' || part.type === 'image') rest.push(userPart(part));
  }
  if (rest.length > 0) out.push({ role: 'user', content: rest });
  return out;
}

function userPart(part: Extract<IrPart, { type: 'text' | 'image' }>): Json {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const url =
    part.data !== undefined ? `data:${part.mediaType ?? 'image/png'};base64,${part.data}` : (part.url ?? '');
  return { type: 'image_url', image_url: { url } };
}

function assistantMessage(parts: readonly IrPart[]): Json {
  const text = parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  const calls = parts.flatMap((p) =>
    p.type === 'tool_call'
      ? [{ id: p.id, type: 'function', function: { name: p.name, arguments: p.args || '{}' } }]
      : [],
  );
  return defined({
    role: 'assistant',
    content: text === '' ? null : text,
    tool_calls: calls.length > 0 ? calls : undefined,
  });
}
