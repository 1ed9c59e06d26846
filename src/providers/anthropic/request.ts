import type { Json } from '../codec';
import type { IrMessage, IrPart, IrRequest, IrTool, IrToolChoice } from '../ir';
import { effortForBudget } from '../openai/request';
import { arr, defined, num, obj, parseObject, str } from '../translate/json';
import { withJsonOutputTool } from '../translate/json-output';

/**
 * Claude Code's first system block carries a per-request billing header; sent to another
 * provider it would only defeat that provider's prompt cache.
 */
const BILLING_HEADER = 'x-anthropic-billing-header:';

/** Anthropic Messages request → IR. */
export function parseMessagesRequest(body: Json): IrRequest {
  const thinking = obj(body.thinking);
  const budget = thinking?.type === 'enabled' ? num(thinking.budget_tokens) : undefined;
  const effort = str(obj(body.output_config)?.effort);
  const choice = obj(body.tool_choice);
  return {
    model: str(body.model) ?? '',
    system: systemTexts(body.system).filter((text) => !text.startsWith(BILLING_HEADER)),
    messages: arr(body.messages).flatMap(parseMessage),
    tools: arr(body.tools).flatMap(parseTool),
    toolChoice: parseToolChoice(choice),
    parallelToolCalls: choice?.disable_parallel_tool_use === true ? false : undefined,
    maxTokens: num(body.max_tokens),
    temperature: num(body.temperature),
    topP: num(body.top_p),
    stop: arr(body.stop_sequences).filter((s): s is string => typeof s === 'string'),
    stream: body.stream === true,
    streamUsage: true,
    reasoning: reasoningOf(budget, effort, thinking?.type === 'adaptive'),
    // `metadata.user_id` is not carried: Claude Code's is longer than OpenAI's `user` allows.
  };
}

function reasoningOf(
  budget: number | undefined,
  effort: string | undefined,
  adaptive: boolean,
): IrRequest['reasoning'] {
  const known = effort === 'low' || effort === 'medium' || effort === 'high' ? effort : undefined;
  if (budget !== undefined) return { budget, effort: known ?? effortForBudget(budget) };
  if (known || adaptive) return { effort: known ?? 'medium' };
  return undefined;
}

function systemTexts(system: unknown): string[] {
  if (typeof system === 'string') return system === '' ? [] : [system];
  return arr(system).flatMap((block) => {
    const text = str(obj(block)?.text);
    return text ? [text] : [];
  });
}

function parseMessage(raw: unknown): IrMessage[] {
  const message = obj(raw);
  if (!message) return [];
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  const content = message.content;
  if (typeof content === 'string')
    return [{ role, parts: content === '' ? [] : [{ type: 'text', text: content }] }];
  return [{ role, parts: arr(content).flatMap(parseBlock) }];
}

function parseBlock(raw: unknown): IrPart[] {
  const block = obj(raw);
  switch (block?.type) {
    case 'text':
      return str(block.text) ? [{ type: 'text', text: str(block.text) ?? '' }] : [];
    case 'image':
      return [parseImage(obj(block.source) ?? {})];
    case 'thinking':
      return [
        {
          type: 'thinking',
          text: str(block.thinking) ?? '',
          signature: str(block.signature),
          origin: 'anthropic',
        },
      ];
    case 'redacted_thinking':
      return [{ type: 'redacted_thinking', data: str(block.data) ?? '', origin: 'anthropic' }];
    case 'tool_use':
      return [
        {
          type: 'tool_call',
          id: str(block.id) ?? '',
          name: str(block.name) ?? '',
          args: JSON.stringify(block.input ?? {}),
        },
      ];
    case 'tool_result': {
      const content = block.content;
      const parts =
        typeof content === 'string'
          ? [{ type: 'text' as const, text: content }]
          : arr(content).flatMap(parseBlock);
      return [
        {
          type: 'tool_result',
          id: str(block.tool_use_id) ?? '',
          content: parts,
          isError: block.is_error === true,
        },
      ];
    }
    default:
      return [];
  }
}

function parseImage(source: Json): IrPart {
  if (source.type === 'url') return { type: 'image', url: str(source.url) ?? '' };
  return { type: 'image', mediaType: str(source.media_type), data: str(source.data) ?? '' };
}

function parseTool(raw: unknown): IrTool[] {
  const tool = obj(raw);
  const name = str(tool?.name);
  // Server tools (web search, code execution…) have a `type` and no schema: nothing to translate.
  if (!tool || !name || !obj(tool.input_schema)) return [];
  return [{ name, description: str(tool.description), schema: obj(tool.input_schema) ?? {} }];
}

function parseToolChoice(choice: Json | undefined): IrToolChoice | undefined {
  if (!choice) return undefined;
  if (choice.type === 'any') return { type: 'required' };
  if (choice.type === 'none') return { type: 'none' };
  if (choice.type === 'tool' && str(choice.name)) return { type: 'tool', name: str(choice.name) ?? '' };
  return { type: 'auto' };
}

/** Anthropic requires `max_tokens`; the default when the client gave none. */
export const DEFAULT_MAX_TOKENS = 4096;
const EFFORT_BUDGET = { low: 1024, medium: 8192, high: 24576 } as const;

/**
 * IR → Anthropic Messages request. Thinking blocks go back only with the signature Anthropic
 * made (never one invented); thinking from another family is dropped.
 */
export function buildMessagesRequest(asked: IrRequest): Json {
  // JSON mode and structured output become one forced tool (src/providers/translate/json-output.ts).
  const ir = withJsonOutputTool(asked);
  const wanted = ir.reasoning
    ? (ir.reasoning.budget ?? EFFORT_BUDGET[ir.reasoning.effort ?? 'medium'])
    : undefined;
  const budget = wanted !== undefined && thinkingFits(ir.messages) ? wanted : undefined;
  let maxTokens = ir.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (budget !== undefined && budget >= maxTokens) maxTokens = budget + DEFAULT_MAX_TOKENS;
  return defined({
    model: ir.model,
    system: ir.system.length > 0 ? ir.system.map((text) => ({ type: 'text', text })) : undefined,
    messages: mergeRoles(ir.messages).map((m) => ({
      role: m.role,
      content: m.parts.flatMap(anthropicBlock),
    })),
    tools: ir.tools.length > 0 ? ir.tools.map(anthropicTool) : undefined,
    tool_choice: anthropicToolChoice(ir),
    max_tokens: maxTokens,
    // Extended thinking takes no temperature or top_p.
    temperature: budget === undefined ? ir.temperature : undefined,
    top_p: budget === undefined ? ir.topP : undefined,
    stop_sequences: ir.stop.length > 0 ? ir.stop : undefined,
    thinking: budget !== undefined ? { type: 'enabled', budget_tokens: budget } : undefined,
    metadata: ir.user ? { user_id: ir.user } : undefined,
    stream: ir.stream ? true : undefined,
  });
}

/**
 * With thinking on, Anthropic requires the last assistant turn that called tools to start with
 * its signed thinking block. History from a client that cannot carry signatures (OpenAI Chat)
 * has none, and one is never invented: such a request is sent without thinking.
 */
function thinkingFits(messages: readonly IrMessage[]): boolean {
  const last = [...messages].reverse().find((m) => m.role === 'assistant');
  if (!last?.parts.some((p) => p.type === 'tool_call')) return true;
  const first = last.parts[0];
  if (first?.type === 'redacted_thinking') return first.origin === 'anthropic';
  return first?.type === 'thinking' && first.origin === 'anthropic' && Boolean(first.signature);
}

/** Consecutive messages of one role as one; a user turn's tool results first. */
function mergeRoles(messages: readonly IrMessage[]): IrMessage[] {
  const out: IrMessage[] = [];
  for (const message of messages) {
    const last = out[out.length - 1];
    if (last && last.role === message.role)
      out[out.length - 1] = { role: last.role, parts: [...last.parts, ...message.parts] };
    else out.push(message);
  }
  return out.map((m) => ({
    role: m.role,
    parts: [
      ...m.parts.filter((p) => p.type === 'tool_result'),
      ...m.parts.filter((p) => p.type !== 'tool_result'),
    ],
  }));
}

function anthropicBlock(part: IrPart): Json[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    case 'image':
      return [imageBlock(part)];
    case 'thinking':
      return part.origin === 'anthropic' && part.signature
        ? [{ type: 'thinking', thinking: part.text, signature: part.signature }]
        : [];
    case 'redacted_thinking':
      return part.origin === 'anthropic' ? [{ type: 'redacted_thinking', data: part.data }] : [];
    case 'tool_call':
      return [
        { type: 'tool_use', id: toolId(part.id), name: part.name, input: parseObject(part.args) ?? {} },
      ];
    case 'tool_result':
      return [
        defined({
          type: 'tool_result',
          tool_use_id: toolId(part.id),
          content: part.content.flatMap(anthropicBlock),
          is_error: part.isError ? true : undefined,
        }),
      ];
  }
}

function imageBlock(part: Extract<IrPart, { type: 'image' }>): Json {
  if (part.data !== undefined)
    return {
      type: 'image',
      source: { type: 'base64', media_type: part.mediaType ?? 'image/png', data: part.data },
    };
  return { type: 'image', source: { type: 'url', url: part.url ?? '' } };
}

/** Anthropic tool ids take letters, digits, `_` and `-` only. */
export function toolId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9_-]/g, '_');
  return clean === '' ? 'toolu_' : clean;
}

function anthropicTool(tool: IrTool): Json {
  return defined({ name: tool.name, description: tool.description, input_schema: tool.schema });
}

function anthropicToolChoice(ir: IrRequest): Json | undefined {
  const choice = ir.toolChoice;
  const noParallel = ir.parallelToolCalls === false ? true : undefined;
  if (!choice)
    return noParallel && ir.tools.length > 0 ? { type: 'auto', disable_parallel_tool_use: true } : undefined;
  if (choice.type === 'none') return { type: 'none' };
  const type = choice.type === 'required' ? 'any' : choice.type === 'tool' ? 'tool' : 'auto';
  return defined({
    type,
    name: choice.type === 'tool' ? choice.name : undefined,
    disable_parallel_tool_use: noParallel,
  });
}
