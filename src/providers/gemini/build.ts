import type { Json } from '../codec';
import type { IrMessage, IrPart, IrRequest, IrTool } from '../ir';
import { defined, parseObject } from '../translate/json';
import { splitSignature } from './ids';
import { geminiSchema } from './schema';

/** Thinking budgets for an effort, as for Anthropic (docs/translation.md). */
const EFFORT_BUDGET = { low: 1024, medium: 8192, high: 24576 } as const;

/**
 * IR → Gemini `generateContent` body (the model goes in the path). Tool schemas are cleaned
 * for Gemini; thinking goes back only when Gemini made it (with its signature); a call's
 * `thoughtSignature` is taken back out of its id (src/providers/gemini/ids.ts).
 */
export function buildGenerateRequest(ir: IrRequest): Json {
  const names = callNames(ir.messages);
  return defined({
    systemInstruction: ir.system.length > 0 ? { parts: ir.system.map((text) => ({ text })) } : undefined,
    contents: mergeRoles(ir.messages).map((message) => ({
      role: message.role === 'assistant' ? 'model' : 'user',
      parts: message.parts.flatMap((part) => geminiParts(part, names)),
    })),
    tools: ir.tools.length > 0 ? [{ functionDeclarations: ir.tools.map(declaration) }] : undefined,
    toolConfig: toolConfig(ir),
    generationConfig: generationConfig(ir),
  });
}

function generationConfig(ir: IrRequest): Json | undefined {
  const reasoning = ir.reasoning;
  const budget = reasoning ? (reasoning.budget ?? EFFORT_BUDGET[reasoning.effort ?? 'medium']) : undefined;
  const format = ir.responseFormat;
  const config = defined({
    maxOutputTokens: ir.maxTokens,
    temperature: ir.temperature,
    topP: ir.topP,
    stopSequences: ir.stop.length > 0 ? ir.stop : undefined,
    responseMimeType: format ? 'application/json' : undefined,
    responseSchema: format?.type === 'json_schema' ? geminiSchema(format.schema) : undefined,
    thinkingConfig: budget !== undefined ? { thinkingBudget: budget, includeThoughts: true } : undefined,
  });
  return Object.keys(config).length > 0 ? config : undefined;
}

/** Consecutive turns of one role as one (Gemini wants them alternating). */
function mergeRoles(messages: readonly IrMessage[]): IrMessage[] {
  const out: IrMessage[] = [];
  for (const message of messages) {
    const last = out[out.length - 1];
    if (last && last.role === message.role)
      out[out.length - 1] = { role: last.role, parts: [...last.parts, ...message.parts] };
    else out.push(message);
  }
  return out.filter((m) => m.parts.length > 0);
}

/** Each call's name by id: a `functionResponse` must name its function. */
function callNames(messages: readonly IrMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages)
    for (const part of message.parts) if (part.type === 'tool_call') names.set(part.id, part.name);
  return names;
}

function geminiParts(part: IrPart, names: ReadonlyMap<string, string>): Json[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ text: part.text }];
    case 'image':
      return [imagePart(part)];
    case 'thinking':
      return part.origin === 'gemini'
        ? [defined({ text: part.text, thought: true, thoughtSignature: part.signature })]
        : [];
    case 'redacted_thinking':
      return [];
    case 'tool_call': {
      const { id, signature } = splitSignature(part.id);
      const call = { id, name: part.name, args: parseObject(part.args || '{}') ?? {} };
      return [defined({ functionCall: call, thoughtSignature: signature })];
    }
    case 'tool_result':
      return toolResult(part, names);
  }
}

function imagePart(part: Extract<IrPart, { type: 'image' }>): Json {
  const mimeType = part.mediaType ?? 'image/png';
  if (part.data !== undefined) return { inlineData: { mimeType, data: part.data } };
  return { fileData: { mimeType: part.mediaType ?? 'image/jpeg', fileUri: part.url ?? '' } };
}

/** A tool result as a `functionResponse` (text in `output`, or `error`), its images after it. */
function toolResult(
  part: Extract<IrPart, { type: 'tool_result' }>,
  names: ReadonlyMap<string, string>,
): Json[] {
  const { id } = splitSignature(part.id);
  const text = part.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
  const images = part.content.flatMap((p) => (p.type === 'image' ? [imagePart(p)] : []));
  const response = part.isError ? { error: text } : { output: text };
  const name = names.get(part.id) ?? '';
  return [{ functionResponse: { id, name, response } }, ...images];
}

function declaration(tool: IrTool): Json {
  const parameters = geminiSchema(tool.schema);
  const empty = parameters.properties === undefined && parameters.anyOf === undefined;
  return defined({
    name: tool.name,
    description: tool.description,
    parameters: empty ? undefined : parameters,
  });
}

function toolConfig(ir: IrRequest): Json | undefined {
  const choice = ir.toolChoice;
  if (!choice || ir.tools.length === 0) return undefined;
  if (choice.type === 'tool')
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  const mode = choice.type === 'required' ? 'ANY' : choice.type === 'none' ? 'NONE' : 'AUTO';
  return { functionCallingConfig: { mode } };
}
