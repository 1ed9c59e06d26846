import { lastIndexOf, text, utf8 } from '../../http/bytes';
/** Token counts of one request. `estimated`: counted by the gateway, not reported by the upstream. */
export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Prompt tokens served from the provider's cache, where it reports them. */
  readonly cachedTokens: number;
  readonly totalTokens: number;
  readonly estimated: boolean;
}

export const NO_USAGE: Usage = {
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  totalTokens: 0,
  estimated: false,
};

type Json = Record<string, unknown>;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function details(usage: Json, field: string): Json | undefined {
  const value = usage[field];
  return value !== null && typeof value === 'object' ? (value as Json) : undefined;
}

/**
 * Reads a `usage` object in any of the shapes upstreams send: OpenAI chat and completions
 * (`prompt_tokens`, `completion_tokens`, `prompt_tokens_details.cached_tokens`), the Responses
 * API (`input_tokens`, `output_tokens`, `input_tokens_details.cached_tokens`) and Anthropic
 * (`input_tokens`, `output_tokens`, `cache_read_input_tokens`, `cache_creation_input_tokens`).
 */
export function parseUsage(value: unknown): Usage | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const usage = value as Json;
  const anthropicCacheRead = count(usage.cache_read_input_tokens);
  const prompt =
    count(usage.prompt_tokens) +
    count(usage.input_tokens) +
    anthropicCacheRead +
    count(usage.cache_creation_input_tokens);
  const completion = count(usage.completion_tokens) + count(usage.output_tokens);
  const cached =
    count(details(usage, 'prompt_tokens_details')?.cached_tokens) +
    count(details(usage, 'input_tokens_details')?.cached_tokens) +
    anthropicCacheRead;
  const total = Math.max(count(usage.total_tokens), prompt + completion);
  if (total === 0 && !('prompt_tokens' in usage) && !('input_tokens' in usage)) return undefined;
  return {
    promptTokens: prompt,
    completionTokens: completion,
    cachedTokens: cached,
    totalTokens: total,
    estimated: false,
  };
}

/** Streams report usage in parts (Anthropic: input at the start, output at the end): keep the largest of each. */
export function mergeUsage(a: Usage | undefined, b: Usage): Usage {
  if (!a) return b;
  const prompt = Math.max(a.promptTokens, b.promptTokens);
  const completion = Math.max(a.completionTokens, b.completionTokens);
  return {
    promptTokens: prompt,
    completionTokens: completion,
    cachedTokens: Math.max(a.cachedTokens, b.cachedTokens),
    totalTokens: Math.max(a.totalTokens, b.totalTokens, prompt + completion),
    estimated: false,
  };
}

/**
 * Gemini's `usageMetadata`: `promptTokenCount` includes the cached tokens, the output is the
 * candidates plus the thoughts (tool-use prompt tokens count as prompt).
 */
export function parseGeminiUsage(value: unknown): Usage | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const usage = value as Json;
  const prompt = count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount);
  const completion = count(usage.candidatesTokenCount) + count(usage.thoughtsTokenCount);
  const total = Math.max(count(usage.totalTokenCount), prompt + completion);
  return {
    promptTokens: prompt,
    completionTokens: completion,
    cachedTokens: count(usage.cachedContentTokenCount),
    totalTokens: total,
    estimated: false,
  };
}

/** The usage object found in a JSON message: its own, inside `response` / `message`, or Gemini's. */
export function usageOf(message: Json): Usage | undefined {
  if (message.usage) return parseUsage(message.usage);
  if (message.usageMetadata) return parseGeminiUsage(message.usageMetadata);
  const nested = (message.response ?? message.message) as Json | undefined;
  if (nested && typeof nested === 'object' && nested.usage) return parseUsage(nested.usage);
  return undefined;
}

const USAGE_KEY = utf8('"usage"');
const USAGE_METADATA_KEY = utf8('"usageMetadata"');

/**
 * The usage of a held JSON answer. The usage object is near the end, so it is found with a
 * search from the end and parsed on its own; the whole body is parsed only when that fails, or
 * for Gemini's `usageMetadata`.
 */
export function usageInBody(body: Uint8Array): Usage | undefined {
  const at = lastIndexOf(body, USAGE_KEY);
  if (at === -1) return lastIndexOf(body, USAGE_METADATA_KEY) === -1 ? undefined : usageOfWhole(body);
  const start = body.indexOf(0x7b, at + USAGE_KEY.length);
  const end = start === -1 ? -1 : matchingBrace(body, start);
  if (end !== -1) {
    try {
      // The object after a `"usage"` in some text may be another one (Gemini's `usageMetadata`).
      const usage = parseUsage(JSON.parse(text(body.subarray(start, end + 1))));
      if (usage) return usage;
    } catch {
      // fall through to the full parse
    }
  }
  return usageOfWhole(body);
}

function usageOfWhole(body: Uint8Array): Usage | undefined {
  try {
    const parsed = JSON.parse(text(body)) as unknown;
    return parsed !== null && typeof parsed === 'object' ? usageOf(parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Index of the `}` closing the object that starts at `start`, skipping strings; -1 if none. */
function matchingBrace(body: Uint8Array, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i;
  }
  return -1;
}
