import { sseFrames } from './stream-validators';

/** The fields of a GenerateContentResponse the validator and the tests read. */
export interface GeminiChunk {
  readonly candidates?: readonly {
    readonly index?: number;
    readonly finishReason?: string;
    readonly content?: {
      readonly role?: string;
      readonly parts?: readonly {
        readonly text?: string;
        readonly thought?: boolean;
        readonly thoughtSignature?: string;
        readonly functionCall?: { readonly id?: string; readonly name?: string; readonly args?: unknown };
      }[];
    };
  }[];
  readonly usageMetadata?: Record<string, number>;
  readonly modelVersion?: string;
  readonly responseId?: string;
  readonly error?: { readonly code?: number; readonly message?: string; readonly status?: string };
}

function bad(message: string): never {
  throw new Error(`invalid Gemini stream: ${message}`);
}

const PART_KINDS = ['text', 'functionCall'];

function checkChunk(chunk: GeminiChunk, last: boolean, id: string | undefined): void {
  if (chunk.error) bad(`unexpected error: ${JSON.stringify(chunk)}`);
  const candidates = chunk.candidates;
  if (!Array.isArray(candidates) || candidates.length !== 1) bad('not exactly one candidate');
  const [candidate] = candidates;
  if (candidate?.index !== 0) bad('a candidate without index 0');
  if (candidate.content?.role !== 'model') bad('content without role "model"');
  for (const part of candidate.content.parts ?? []) checkPart(part);
  if (!last && candidate.finishReason) bad('a finishReason before the last event');
  if (last && typeof candidate.finishReason !== 'string') bad('the last event has no finishReason');
  if (chunk.responseId !== id) bad('the responseId changes');
  if (last) checkUsage(chunk.usageMetadata);
}

type Candidate = NonNullable<GeminiChunk['candidates']>[number];
type Part = NonNullable<NonNullable<Candidate['content']>['parts']>[number];

function checkPart(part: Part): void {
  const kinds = PART_KINDS.filter((kind) => kind in part);
  if (kinds.length !== 1) bad(`a part with ${kinds.length} kinds: ${JSON.stringify(part)}`);
  if (part.text === '') bad('an empty text part');
  const call = part.functionCall;
  if (!call) return;
  if (typeof call.name !== 'string' || call.name === '') bad('a functionCall without a name');
  if (call.args === null || typeof call.args !== 'object' || Array.isArray(call.args))
    bad('functionCall.args is not an object');
}

function checkUsage(usage: Record<string, number> | undefined): void {
  const prompt = usage?.promptTokenCount ?? 0;
  if (!usage || prompt <= 0) bad('the last event has no positive promptTokenCount');
  const sum = prompt + (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
  if (usage.totalTokenCount !== sum) bad(`totalTokenCount does not add up: ${JSON.stringify(usage)}`);
}

/**
 * A Gemini `alt=sse` stream: bare `data:` events (no event names, no `[DONE]`), each a whole
 * GenerateContentResponse with one candidate at index 0 and role `model`, parts of one kind
 * each (no empty text), function calls whole with object args, one responseId, a finishReason
 * on the last event only, with usage that adds up. With `endsWithError`, the stream ends with
 * Gemini's `{"error":{code,message,status}}` instead. Returns the chunks (without the error).
 */
export function validateGeminiStream(text: string, options: { endsWithError?: boolean } = {}): GeminiChunk[] {
  const frames = sseFrames(text.replace(/\r\n/g, '\n'));
  for (const frame of frames) {
    if (frame.event !== undefined) bad(`an event name "${frame.event}"`);
    if (frame.data === '[DONE]') bad('a [DONE] event');
  }
  const chunks = frames.map((frame) => JSON.parse(frame.data) as GeminiChunk);
  if (options.endsWithError) {
    const error = chunks.pop()?.error;
    if (
      !error ||
      typeof error.code !== 'number' ||
      typeof error.message !== 'string' ||
      typeof error.status !== 'string'
    )
      bad('the last event is not a Gemini error');
  }
  const id = chunks[0]?.responseId;
  for (const [at, chunk] of chunks.entries())
    checkChunk(chunk, !options.endsWithError && at === chunks.length - 1, id);
  return chunks;
}
