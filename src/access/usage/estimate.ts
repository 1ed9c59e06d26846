import { countTokens } from './tokenizer';

type Json = Record<string, unknown>;

/** Per OpenAI's counting recipe: each message costs a few tokens of framing, a reply three more. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;
/** An image part, roughly (OpenAI: 85 + 170 per 512 px tile). */
const PER_IMAGE = 765;

/** What a request may cost before it is sent: the basis of TPM, quota and budget reservations. */
export interface Estimate {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/**
 * A cheap estimate for reservations, without a tokenizer on the hot path: four characters of
 * prompt text per token, plus the most completion the request allows: per choice
 * `max_completion_tokens`, `max_tokens`, `max_output_tokens` (Gemini: `maxOutputTokens`), or
 * `completionDefault` when it gives none, times the choices it asks for (`n`, `best_of`, Gemini's
 * `candidateCount`). Reconciled with the real count after the response.
 */
export function estimateRequest(json: Json | undefined, completionDefault: number): Estimate {
  if (!json) return { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  const texts = promptTexts(json);
  let chars = 0;
  for (const text of texts.strings) chars += text.length;
  const promptTokens = Math.ceil(chars / 4) + texts.messages * PER_MESSAGE + texts.images * PER_IMAGE;
  const completionTokens = generates(json) ? completionLimit(json, completionDefault) : 0;
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

/** The prompt counted with the tokenizer, after the fact, when the upstream reported nothing. */
export function countPromptTokens(json: Json | undefined): number {
  if (!json) return 0;
  const texts = promptTexts(json);
  let tokens = texts.messages > 0 ? texts.messages * PER_MESSAGE + REPLY_PRIMING : 0;
  for (const text of texts.strings) tokens += countTokens(text);
  return tokens + texts.images * PER_IMAGE;
}

/** True for requests that produce text or embeddings (the ones worth estimating). */
export function isTokenRequest(json: Json | undefined): boolean {
  return (
    json !== undefined && ('messages' in json || 'prompt' in json || 'input' in json || 'contents' in json)
  );
}

function generates(json: Json): boolean {
  return (
    'messages' in json ||
    'prompt' in json ||
    'contents' in json ||
    ('input' in json && !isEmbeddingLike(json))
  );
}

function isEmbeddingLike(json: Json): boolean {
  return typeof json.model === 'string' && /embed/i.test(json.model);
}

/** The most completion tokens the request can produce: per choice, times the choices it asks for. */
function completionLimit(json: Json, fallback: number): number {
  const generation = objectField(json, 'generationConfig');
  let perChoice = fallback;
  for (const value of [
    json.max_completion_tokens,
    json.max_tokens,
    json.max_output_tokens,
    generation?.maxOutputTokens,
  ]) {
    const count = countOf(value);
    if (count !== undefined) {
      perChoice = count;
      break;
    }
  }
  const choices = Math.max(
    1,
    countOf(json.n) ?? 1,
    countOf(json.best_of) ?? 1,
    countOf(generation?.candidateCount) ?? 1,
  );
  return Math.min(perChoice * choices, Number.MAX_SAFE_INTEGER);
}

/** A non-negative finite number, floored; undefined for anything else. */
function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

function objectField(json: Json, field: string): Json | undefined {
  const value = json[field];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

interface PromptTexts {
  readonly strings: string[];
  messages: number;
  images: number;
}

function promptTexts(json: Json): PromptTexts {
  const out: PromptTexts = { strings: [], messages: 0, images: 0 };
  if (Array.isArray(json.messages)) {
    for (const message of json.messages) {
      out.messages++;
      collect((message as Json | null)?.content, out);
    }
  }
  for (const field of ['system', 'instructions', 'prompt', 'input']) collect(json[field], out);
  // Gemini: `contents[].parts` and `systemInstruction.parts`.
  if (Array.isArray(json.contents)) {
    for (const content of json.contents) {
      out.messages++;
      collect((content as Json | null)?.parts, out);
    }
  }
  collect(objectField(json, 'systemInstruction')?.parts, out);
  return out;
}

/** Iterative (an explicit stack), so content nested any depth cannot overflow the call stack. */
function collect(root: unknown, out: PromptTexts): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      out.strings.push(value);
      continue;
    }
    if (!Array.isArray(value)) continue;
    for (const part of value) {
      if (typeof part === 'string') out.strings.push(part);
      else if (part && typeof part === 'object' && !Array.isArray(part))
        collectPart(part as Json, out, stack);
    }
  }
}

function collectPart(part: Json, out: PromptTexts, stack: unknown[]): void {
  if (typeof part.text === 'string') out.strings.push(part.text);
  else if (
    part.type === 'image_url' ||
    part.type === 'input_image' ||
    part.type === 'image' ||
    part.inlineData
  )
    out.images++;
  if ('content' in part) {
    if (part.role !== undefined) out.messages++;
    stack.push(part.content);
  }
}
