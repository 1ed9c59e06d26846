/**
 * The gateway's one internal representation of a generation request and its answer: every wire
 * format decodes into it and encodes out of it (one codec per format, src/providers/<format>/),
 * so N formats need N codecs, not N×(N−1) translators. Runtime-neutral plain data.
 */

/** The provider family that made a thinking block: its signature goes back only there. */
export type Origin = 'anthropic' | 'openai' | 'gemini';

export type IrPart =
  | { readonly type: 'text'; readonly text: string }
  /** An image: inline (`data` base64 with `mediaType`) or by `url`. */
  | { readonly type: 'image'; readonly mediaType?: string; readonly data?: string; readonly url?: string }
  | {
      readonly type: 'thinking';
      readonly text: string;
      readonly signature?: string;
      readonly origin: Origin;
    }
  | { readonly type: 'redacted_thinking'; readonly data: string; readonly origin: Origin }
  /** `args`: the arguments as JSON text, as the model wrote them. */
  | { readonly type: 'tool_call'; readonly id: string; readonly name: string; readonly args: string }
  | {
      readonly type: 'tool_result';
      readonly id: string;
      readonly content: readonly IrPart[];
      readonly isError: boolean;
    };

export interface IrMessage {
  readonly role: 'user' | 'assistant';
  readonly parts: readonly IrPart[];
}

export interface IrTool {
  readonly name: string;
  readonly description?: string;
  readonly schema: Record<string, unknown>;
  /**
   * An OpenAI Responses custom tool, whose call carries free text, not JSON: other formats see
   * a function with one string parameter `input` (src/providers/responses/custom-tools.ts).
   */
  readonly freeform?: boolean;
}

export type IrToolChoice =
  | { readonly type: 'auto' | 'none' | 'required' }
  | { readonly type: 'tool'; readonly name: string };

/** Structured output asked for: any JSON object, or JSON matching a schema. */
export type IrResponseFormat =
  | { readonly type: 'json_object' }
  | {
      readonly type: 'json_schema';
      readonly name: string;
      readonly schema: Record<string, unknown>;
      readonly description?: string;
      readonly strict?: boolean;
    };

export interface IrRequest {
  readonly model: string;
  /** System instructions, in order (mid-conversation system messages are appended). */
  readonly system: readonly string[];
  readonly messages: readonly IrMessage[];
  readonly tools: readonly IrTool[];
  readonly toolChoice?: IrToolChoice;
  readonly parallelToolCalls?: boolean;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly stop: readonly string[];
  readonly stream: boolean;
  /** The client asked for usage in its stream (OpenAI `stream_options.include_usage`). */
  readonly streamUsage: boolean;
  /** Reasoning asked for: a token budget (Anthropic) and/or an effort (OpenAI). */
  readonly reasoning?: { readonly budget?: number; readonly effort?: 'low' | 'medium' | 'high' };
  readonly user?: string;
  /** JSON mode or structured output (OpenAI `response_format`, Responses `text.format`). */
  readonly responseFormat?: IrResponseFormat;
  /** How many alternative answers the client asked for (OpenAI `n`); absent: one. */
  readonly choices?: number;
}

/** Token usage, normalised once; each format derives its own figures from it. */
export interface IrUsage {
  /** Prompt tokens not read from or written to a cache. */
  readonly inputUncached: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  /** Generated tokens, reasoning included. */
  readonly output: number;
  /** The part of `output` spent on reasoning, where reported. */
  readonly reasoning: number;
}

export const ZERO_USAGE: IrUsage = { inputUncached: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 };

/** Why generation stopped. */
export type IrStop = 'end' | 'stop_sequence' | 'max_tokens' | 'tool_use' | 'content_filter' | 'pause';

/** An error from either side, in the terms every format can express. */
export type IrErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'too_large'
  | 'rate_limit'
  | 'overloaded'
  | 'server';

export interface IrError {
  readonly kind: IrErrorKind;
  readonly message: string;
}

/** A complete (non-streamed) answer. */
export interface IrResponse {
  readonly id: string;
  readonly model: string;
  readonly parts: readonly IrPart[];
  readonly stop: IrStop;
  readonly stopSequence?: string;
  readonly usage: IrUsage;
}

/** The kind of an open content block in a stream. */
export type IrBlockKind = 'text' | 'thinking' | 'redacted_thinking' | 'tool_call';

/**
 * A streamed answer, event by event. Blocks open, take deltas of their own kind and close, one
 * at a time, with sequential indices from 0: the decoders guarantee it, the encoders rely on it.
 */
export type IrEvent =
  | { readonly type: 'start'; readonly id: string; readonly model: string; readonly usage?: Partial<IrUsage> }
  | {
      readonly type: 'block_start';
      readonly index: number;
      readonly kind: IrBlockKind;
      readonly id?: string;
      readonly name?: string;
      /** redacted_thinking: the opaque data. */
      readonly data?: string;
      readonly origin?: Origin;
    }
  | { readonly type: 'text'; readonly index: number; readonly text: string }
  | { readonly type: 'thinking'; readonly index: number; readonly text: string }
  | { readonly type: 'signature'; readonly index: number; readonly signature: string }
  | { readonly type: 'args'; readonly index: number; readonly json: string }
  | { readonly type: 'block_stop'; readonly index: number }
  /** Usage so far (figures are cumulative: later values replace earlier ones). */
  | { readonly type: 'usage'; readonly usage: Partial<IrUsage> }
  | { readonly type: 'finish'; readonly stop: IrStop; readonly stopSequence?: string }
  | { readonly type: 'error'; readonly error: IrError };

/** Merges cumulative usage figures: later reports replace earlier ones field by field. */
export function mergeIrUsage(into: IrUsage, more: Partial<IrUsage>): IrUsage {
  return {
    inputUncached: more.inputUncached ?? into.inputUncached,
    cacheRead: more.cacheRead ?? into.cacheRead,
    cacheWrite: more.cacheWrite ?? into.cacheWrite,
    output: more.output ?? into.output,
    reasoning: more.reasoning ?? into.reasoning,
  };
}

/** The error kind for an HTTP status (the statuses every format agrees on). */
export function errorKindOf(status: number): IrErrorKind {
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 413) return 'too_large';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'server';
}
