import { countTokens } from '../../access/usage/tokenizer';
import type { Json } from '../codec';
import { arr, defined, num, obj, str } from '../translate/json';
import { field } from './request';

/** One embedding request in terms both APIs share. */
export interface EmbedRequest {
  readonly model: string;
  readonly texts: readonly string[];
  readonly dimensions?: number;
  /** Gemini's `taskType`, kept when the request goes to Gemini. */
  readonly taskType?: string;
  /** OpenAI's `encoding_format: base64`: vectors as base64 of float32 little-endian values. */
  readonly base64: boolean;
}

/** OpenAI `/v1/embeddings` → request; undefined for token-array input (Gemini takes text). */
export function parseOpenAiEmbed(body: Json): EmbedRequest | undefined {
  const input = body.input;
  const texts = typeof input === 'string' ? [input] : arr(input);
  if (!texts.every((t) => typeof t === 'string')) return undefined;
  return {
    model: str(body.model) ?? '',
    texts: texts as string[],
    dimensions: num(body.dimensions),
    base64: body.encoding_format === 'base64',
  };
}

/** Gemini `embedContent` or `batchEmbedContents` → request (the model is in the path). */
export function parseGeminiEmbed(body: Json, model: string): EmbedRequest {
  const requests = Array.isArray(body.requests) ? body.requests : [body];
  const first = obj(requests[0]) ?? {};
  return {
    model,
    texts: requests.map((r) => contentText(obj(r)?.content)),
    dimensions: num(field(first, 'outputDimensionality')),
    taskType: str(field(first, 'taskType')),
    base64: false,
  };
}

function contentText(content: unknown): string {
  return arr(obj(content)?.parts)
    .map((part) => str(obj(part)?.text) ?? '')
    .join('');
}

function modelName(model: string): string {
  return model.startsWith('models/') ? model : `models/${model}`;
}

export function buildGeminiBatch(request: EmbedRequest): Json {
  return {
    requests: request.texts.map((text) =>
      defined({
        model: modelName(request.model),
        content: { parts: [{ text }] },
        taskType: request.taskType,
        outputDimensionality: request.dimensions,
      }),
    ),
  };
}

export function buildOpenAiEmbed(request: EmbedRequest): Json {
  const input = request.texts.length === 1 ? request.texts[0] : request.texts;
  return defined({ model: request.model, input, dimensions: request.dimensions });
}

/** The vectors of an answer in either API (`embeddings[].values`, `embedding.values`, `data[].embedding`). */
export function vectorsOf(body: Json): number[][] {
  const single = obj(body.embedding);
  const gemini = single ? [single] : arr(body.embeddings);
  if (gemini.length > 0) return gemini.map((e) => numbers(obj(e)?.values));
  return arr(body.data).map((d) => {
    const embedding = obj(d)?.embedding;
    return typeof embedding === 'string' ? fromBase64(embedding) : numbers(embedding);
  });
}

function numbers(value: unknown): number[] {
  return arr(value).filter((n): n is number => typeof n === 'number');
}

/** The answer in OpenAI's shape; prompt tokens counted locally (Gemini reports none). */
export function openAiEmbedAnswer(request: EmbedRequest, vectors: number[][]): Json {
  const tokens = request.texts.reduce((sum, text) => sum + countTokens(text), 0);
  return {
    object: 'list',
    data: vectors.map((values, index) => ({
      object: 'embedding',
      index,
      embedding: request.base64 ? toBase64(values) : values,
    })),
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** The answer in Gemini's shape: one `embedding` for `embedContent`, else `embeddings`. */
export function geminiEmbedAnswer(vectors: number[][], batch: boolean): Json {
  if (!batch) return { embedding: { values: vectors[0] ?? [] } };
  return { embeddings: vectors.map((values) => ({ values })) };
}

/** float32 little-endian values as base64 (OpenAI's `encoding_format: base64`). */
export function toBase64(values: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  let binary = '';
  const bytes = new Uint8Array(view.buffer);
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

export function fromBase64(text: string): number[] {
  const binary = atob(text);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out: number[] = [];
  for (let i = 0; i + 4 <= binary.length; i += 4) out.push(view.getFloat32(i, true));
  return out;
}
