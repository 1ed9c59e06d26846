import type { EncodeContext, Json } from '../codec';
import {
  errorKindOf,
  type IrError,
  type IrErrorKind,
  type IrPart,
  type IrResponse,
  type IrStop,
  type IrUsage,
  ZERO_USAGE,
} from '../ir';
import { arr, defined, num, obj, parseObject, str } from '../translate/json';
import { callId, idWithSignature } from './ids';
import { field } from './request';

const FILTERED = ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'];

/** Gemini's `finishReason` (and a blocked prompt's `blockReason`) in the IR's terms. */
export function geminiStop(reason: string | undefined): IrStop | undefined {
  if (!reason) return undefined;
  if (reason === 'MAX_TOKENS') return 'max_tokens';
  if (FILTERED.includes(reason)) return 'content_filter';
  return 'end';
}

const STOP_OUT: Record<IrStop, string> = {
  end: 'STOP',
  stop_sequence: 'STOP',
  pause: 'STOP',
  tool_use: 'STOP',
  max_tokens: 'MAX_TOKENS',
  content_filter: 'SAFETY',
};

export function geminiFinishReason(stop: IrStop): string {
  return STOP_OUT[stop];
}

/**
 * `usageMetadata` normalised: `promptTokenCount` includes the cached part (and tool-use prompt
 * tokens come on top); the output is the candidates plus the thoughts, as the IR counts it.
 */
export function geminiUsage(value: unknown): Partial<IrUsage> {
  const usage = obj(value);
  if (!usage) return {};
  const prompt = (num(usage.promptTokenCount) ?? 0) + (num(usage.toolUsePromptTokenCount) ?? 0);
  const cached = num(usage.cachedContentTokenCount) ?? 0;
  const thoughts = num(usage.thoughtsTokenCount) ?? 0;
  return {
    inputUncached: Math.max(0, prompt - cached),
    cacheRead: cached,
    cacheWrite: 0,
    output: (num(usage.candidatesTokenCount) ?? 0) + thoughts,
    reasoning: thoughts,
  };
}

export function geminiUsageOut(usage: IrUsage): Json {
  const prompt = usage.inputUncached + usage.cacheRead + usage.cacheWrite;
  return defined({
    promptTokenCount: prompt,
    cachedContentTokenCount: usage.cacheRead > 0 ? usage.cacheRead : undefined,
    candidatesTokenCount: usage.output - usage.reasoning,
    thoughtsTokenCount: usage.reasoning > 0 ? usage.reasoning : undefined,
    totalTokenCount: prompt + usage.output,
  });
}

/** Reads the parts of one candidate's content, in order, into IR parts. */
export function candidateParts(parts: unknown[], ids: { responseId: string; calls: number }): IrPart[] {
  const out: IrPart[] = [];
  for (const raw of parts) {
    const part = obj(raw) ?? {};
    const text = str(part.text);
    const signature = str(field(part, 'thoughtSignature'));
    const call = obj(field(part, 'functionCall'));
    if (text !== undefined && part.thought === true)
      out.push({ type: 'thinking', text, signature, origin: 'gemini' });
    else if (text) out.push({ type: 'text', text });
    else if (call) {
      const id = idWithSignature(str(call.id) ?? callId(ids.responseId, ids.calls), signature);
      ids.calls++;
      out.push({ type: 'tool_call', id, name: str(call.name) ?? '', args: JSON.stringify(call.args ?? {}) });
    }
  }
  return out;
}

export function decodeGenerateResponse(body: Json): IrResponse {
  const candidate = obj(arr(body.candidates)[0]) ?? {};
  const responseId = str(field(body, 'responseId')) ?? '';
  const parts = candidateParts(arr(obj(candidate.content)?.parts), { responseId, calls: 0 });
  const blocked = str(field(obj(field(body, 'promptFeedback')) ?? {}, 'blockReason'));
  const stop = geminiStop(str(field(candidate, 'finishReason'))) ?? (blocked ? 'content_filter' : 'end');
  return {
    id: responseId,
    model: str(field(body, 'modelVersion')) ?? '',
    parts,
    stop: parts.some((p) => p.type === 'tool_call') && stop === 'end' ? 'tool_use' : stop,
    usage: { ...ZERO_USAGE, ...geminiUsage(field(body, 'usageMetadata')) },
  };
}

/**
 * One IR part as Gemini response parts. Thinking shows as a `thought` part; signatures from
 * another provider family are not passed on (they would come back to Gemini otherwise).
 */
export function geminiResponsePart(part: IrPart): Json[] {
  switch (part.type) {
    case 'text':
      return [{ text: part.text }];
    case 'thinking':
      return [{ text: part.text, thought: true }];
    case 'tool_call':
      return [{ functionCall: { id: part.id, name: part.name, args: parseObject(part.args || '{}') ?? {} } }];
    default:
      return [];
  }
}

export function encodeGenerateResponse(response: IrResponse, _context: EncodeContext): Json {
  const parts = response.parts.flatMap(geminiResponsePart);
  return {
    candidates: [
      {
        content: { role: 'model', parts },
        finishReason: geminiFinishReason(response.stop),
        index: 0,
      },
    ],
    usageMetadata: geminiUsageOut(response.usage),
    modelVersion: response.model,
    responseId: response.id,
  };
}

/** Gemini's `error.status` for each IR kind, and the HTTP code it goes with. */
const STATUS_OUT: Record<IrErrorKind, [number, string]> = {
  invalid_request: [400, 'INVALID_ARGUMENT'],
  authentication: [401, 'UNAUTHENTICATED'],
  permission: [403, 'PERMISSION_DENIED'],
  not_found: [404, 'NOT_FOUND'],
  too_large: [413, 'INVALID_ARGUMENT'],
  rate_limit: [429, 'RESOURCE_EXHAUSTED'],
  overloaded: [503, 'UNAVAILABLE'],
  server: [500, 'INTERNAL'],
};

const KIND_IN: Record<string, IrErrorKind> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  INTERNAL: 'server',
  DEADLINE_EXCEEDED: 'server',
};

/** `{"error":{"code","message","status"}}`, or the same in an array (Gemini's OpenAI layer). */
export function decodeGeminiError(status: number, body: unknown): IrError {
  const error = obj(obj(body)?.error) ?? obj(obj(arr(body)[0])?.error) ?? {};
  const named = str(error.status);
  return {
    kind: (named && KIND_IN[named]) || errorKindOf(status),
    message: str(error.message) ?? `upstream answered HTTP ${status}`,
  };
}

export function encodeGeminiError(error: IrError, code?: number): Json {
  const [fallback, status] = STATUS_OUT[error.kind];
  return { error: { code: code ?? fallback, message: error.message, status } };
}
