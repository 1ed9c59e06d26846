import type { Json } from '../codec';
import type { IrMessage, IrPart, IrRequest, IrTool, IrToolChoice } from '../ir';
import { effortForBudget } from '../openai/request';
import { arr, num, obj, str } from '../translate/json';
import { idWithSignature } from './ids';
import { jsonSchemaOf } from './schema';

/** A field under its REST name or its proto (snake_case) name: Gemini accepts both. */
export function field(body: Json, camel: string): unknown {
  const value = body[camel];
  if (value !== undefined) return value;
  let snake = SNAKE.get(camel);
  if (snake === undefined) {
    snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    SNAKE.set(camel, snake);
  }
  return body[snake];
}

const SNAKE = new Map<string, string>();

/**
 * Gemini `generateContent` request → IR. The model is in the path, not the body: the caller
 * fills `model` in (the path's, after a route's `rewrite.model`). Calls without ids (older clients) are paired with their responses by name,
 * in order.
 */
export function parseGenerateRequest(body: Json): IrRequest {
  const config = obj(field(body, 'generationConfig')) ?? {};
  const calling = obj(field(obj(field(body, 'toolConfig')) ?? {}, 'functionCallingConfig'));
  return {
    model: '',
    system: partsOf(field(body, 'systemInstruction')).flatMap((part) => {
      const text = str(obj(part)?.text);
      return text ? [text] : [];
    }),
    messages: parseContents(arr(body.contents)),
    tools: arr(body.tools).flatMap(parseTools),
    toolChoice: parseToolChoice(calling),
    maxTokens: num(field(config, 'maxOutputTokens')),
    temperature: num(config.temperature),
    topP: num(field(config, 'topP')),
    stop: arr(field(config, 'stopSequences')).filter((s): s is string => typeof s === 'string'),
    stream: body.stream === true,
    streamUsage: true,
    reasoning: parseThinking(obj(field(config, 'thinkingConfig'))),
    responseFormat: parseResponseFormat(config),
  };
}

function partsOf(content: unknown): unknown[] {
  if (typeof content === 'string') return [{ text: content }];
  return arr(obj(content)?.parts);
}

/** Turns in order; the ids of the calls still waiting for their response, by name. */
function parseContents(contents: unknown[]): IrMessage[] {
  const messages: IrMessage[] = [];
  const waiting: Waiting[] = [];
  contents.forEach((raw, turn) => {
    const content = obj(raw);
    if (!content) return;
    const role = content.role === 'model' ? 'assistant' : 'user';
    const parts = arr(content.parts).flatMap((part, at) => parsePart(obj(part) ?? {}, { turn, at, waiting }));
    const last = messages[messages.length - 1];
    if (last && last.role === role)
      messages[messages.length - 1] = { role, parts: [...last.parts, ...parts] };
    else messages.push({ role, parts });
  });
  return messages;
}

/** Where a part sits, and the calls still waiting for a response (`own`: Gemini's id). */
interface PartPlace {
  readonly turn: number;
  readonly at: number;
  readonly waiting: Waiting[];
}

interface Waiting {
  readonly own: string;
  readonly id: string;
  readonly name: string;
}

function parsePart(part: Json, place: PartPlace): IrPart[] {
  const signature = str(field(part, 'thoughtSignature'));
  const text = str(part.text);
  if (text !== undefined) {
    if (part.thought === true) return [{ type: 'thinking', text, signature, origin: 'gemini' }];
    return text === '' ? [] : [{ type: 'text', text }];
  }
  const inline = obj(field(part, 'inlineData'));
  if (inline)
    return [{ type: 'image', mediaType: str(field(inline, 'mimeType')), data: str(inline.data) ?? '' }];
  const file = obj(field(part, 'fileData'));
  if (file)
    return [
      { type: 'image', mediaType: str(field(file, 'mimeType')), url: str(field(file, 'fileUri')) ?? '' },
    ];
  const call = obj(field(part, 'functionCall'));
  if (call) return [parseCall(call, signature, place)];
  const response = obj(field(part, 'functionResponse'));
  if (response) return [parseResponse(response, place)];
  return [];
}

function parseCall(call: Json, signature: string | undefined, place: PartPlace): IrPart {
  const name = str(call.name) ?? '';
  const own = str(call.id) ?? `call_${place.turn}_${place.at}`;
  const id = idWithSignature(own, signature);
  place.waiting.push({ own, id, name });
  return { type: 'tool_call', id, name, args: JSON.stringify(call.args ?? {}) };
}

/** A single `output`, `result` or `content` string is the result's text; anything else is JSON. */
const TEXT_FIELDS = ['output', 'result', 'content'];

function parseResponse(response: Json, place: PartPlace): IrPart {
  const name = str(response.name) ?? '';
  const given = str(response.id);
  const at = place.waiting.findIndex((w) => (given ? w.own === given : w.name === name));
  const paired = at === -1 ? undefined : place.waiting.splice(at, 1)[0];
  const output = obj(response.response) ?? {};
  const keys = Object.keys(output);
  const isError = keys.length === 1 && keys[0] === 'error';
  const single = keys.length === 1 ? output[keys[0]!] : undefined;
  const text =
    typeof single === 'string' && (isError || TEXT_FIELDS.includes(keys[0]!))
      ? single
      : JSON.stringify(isError ? single : output);
  const images = arr(response.parts).flatMap((p) => parsePart(obj(p) ?? {}, place));
  return {
    type: 'tool_result',
    id: paired?.id ?? given ?? `call_${name}`,
    content: [{ type: 'text', text }, ...images],
    isError,
  };
}

function parseTools(raw: unknown): IrTool[] {
  const tool = obj(raw);
  return arr(tool && field(tool, 'functionDeclarations')).flatMap((decl) => {
    const fn = obj(decl);
    const name = str(fn?.name);
    if (!fn || !name) return [];
    const json = obj(field(fn, 'parametersJsonSchema'));
    const schema = json ?? jsonSchemaOf(obj(fn.parameters) ?? { type: 'object', properties: {} });
    return [{ name, description: str(fn.description), schema }];
  });
}

function parseToolChoice(config: Json | undefined): IrToolChoice | undefined {
  const mode = str(config?.mode)?.toUpperCase();
  if (mode === 'NONE') return { type: 'none' };
  if (mode === 'ANY') {
    const names = arr(config && field(config, 'allowedFunctionNames'));
    return names.length === 1 && typeof names[0] === 'string'
      ? { type: 'tool', name: names[0] }
      : { type: 'required' };
  }
  return mode === 'AUTO' || mode === 'VALIDATED' ? { type: 'auto' } : undefined;
}

/**
 * `thinkingBudget` 0 turns thinking off; −1 (dynamic) or `includeThoughts` alone ask for the
 * model's own default, which for another API is to send no reasoning setting at all (Gemini CLI
 * sends them on every request, and OpenAI's non-reasoning models refuse `reasoning_effort`).
 */
function parseThinking(config: Json | undefined): IrRequest['reasoning'] {
  if (!config) return undefined;
  const budget = num(field(config, 'thinkingBudget'));
  const level = str(field(config, 'thinkingLevel'))?.toLowerCase();
  if (budget !== undefined && budget > 0) return { budget, effort: effortForBudget(budget) };
  if (budget === 0) return undefined;
  if (level === 'low' || level === 'minimal') return { effort: 'low' };
  if (level === 'medium' || level === 'high') return { effort: level };
  return undefined;
}

function parseResponseFormat(config: Json): IrRequest['responseFormat'] {
  const mime = str(field(config, 'responseMimeType'));
  const schema = obj(field(config, 'responseJsonSchema')) ?? obj(field(config, 'responseSchema'));
  if (schema)
    return {
      type: 'json_schema',
      name: 'response',
      schema: field(config, 'responseJsonSchema') ? schema : jsonSchemaOf(schema),
    };
  return mime === 'application/json' ? { type: 'json_object' } : undefined;
}
