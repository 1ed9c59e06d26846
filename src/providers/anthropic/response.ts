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
import { arr, defined, num, obj, str } from '../translate/json';
import { toolId } from './request';

const STOP_IN: Record<string, IrStop> = {
  end_turn: 'end',
  stop_sequence: 'stop_sequence',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  tool_use: 'tool_use',
  refusal: 'content_filter',
  pause_turn: 'pause',
};

export function messagesStop(reason: string | undefined): IrStop {
  return (reason && STOP_IN[reason]) || 'end';
}

const STOP_OUT: Record<IrStop, string> = {
  end: 'end_turn',
  stop_sequence: 'stop_sequence',
  max_tokens: 'max_tokens',
  tool_use: 'tool_use',
  content_filter: 'refusal',
  pause: 'pause_turn',
};

export function messagesStopReason(stop: IrStop): string {
  return STOP_OUT[stop];
}

/** Anthropic's `input_tokens` already excludes cache reads and writes, as the IR does. */
export function messagesUsage(value: unknown): Partial<IrUsage> {
  const usage = obj(value);
  if (!usage) return {};
  const out: { -readonly [K in keyof IrUsage]?: number } = {};
  const input = num(usage.input_tokens);
  if (input !== undefined) out.inputUncached = input;
  const read = num(usage.cache_read_input_tokens);
  if (read !== undefined) out.cacheRead = read;
  const write = num(usage.cache_creation_input_tokens);
  if (write !== undefined) out.cacheWrite = write;
  const output = num(usage.output_tokens);
  if (output !== undefined) out.output = output;
  return out;
}

export function messagesUsageOut(usage: IrUsage, inputFallback = 0): Json {
  const known = usage.inputUncached + usage.cacheRead + usage.cacheWrite > 0;
  return {
    input_tokens: known ? usage.inputUncached : inputFallback,
    cache_creation_input_tokens: usage.cacheWrite,
    cache_read_input_tokens: usage.cacheRead,
    output_tokens: usage.output,
  };
}

export function decodeMessagesResponse(body: Json): IrResponse {
  const parts: IrPart[] = [];
  for (const raw of arr(body.content)) {
    const block = obj(raw) ?? {};
    if (block.type === 'text' && str(block.text)) parts.push({ type: 'text', text: str(block.text) ?? '' });
    if (block.type === 'thinking')
      parts.push({
        type: 'thinking',
        text: str(block.thinking) ?? '',
        signature: str(block.signature),
        origin: 'anthropic',
      });
    if (block.type === 'redacted_thinking')
      parts.push({ type: 'redacted_thinking', data: str(block.data) ?? '', origin: 'anthropic' });
    if (block.type === 'tool_use')
      parts.push({
        type: 'tool_call',
        id: str(block.id) ?? '',
        name: str(block.name) ?? '',
        args: JSON.stringify(block.input ?? {}),
      });
  }
  return {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    parts,
    stop: messagesStop(str(body.stop_reason)),
    stopSequence: str(body.stop_sequence),
    usage: { ...ZERO_USAGE, ...messagesUsage(body.usage) },
  };
}

/** A message id as Anthropic shapes them. */
export function messageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id.replace(/[^A-Za-z0-9_-]/g, '') || 'switchyard'}`;
}

export function encodeMessagesResponse(response: IrResponse, context: EncodeContext): Json {
  return {
    id: messageId(response.id),
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: response.parts.flatMap(messagesBlock),
    stop_reason: messagesStopReason(response.stop),
    stop_sequence: response.stopSequence ?? null,
    usage: messagesUsageOut(response.usage, context.estimatedInput),
  };
}

/**
 * A part as a response content block. Thinking from another provider family has no signature;
 * it is shown with an empty one (never an invented one) and is not sent back to Anthropic.
 */
function messagesBlock(part: IrPart): Json[] {
  switch (part.type) {
    case 'text':
      return [{ type: 'text', text: part.text }];
    case 'thinking':
      return [
        {
          type: 'thinking',
          thinking: part.text,
          signature: part.origin === 'anthropic' ? (part.signature ?? '') : '',
        },
      ];
    case 'redacted_thinking':
      return part.origin === 'anthropic' ? [{ type: 'redacted_thinking', data: part.data }] : [];
    case 'tool_call':
      return [{ type: 'tool_use', id: toolId(part.id), name: part.name, input: parseArgs(part.args) }];
    default:
      return [];
  }
}

function parseArgs(args: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
}

const ERROR_TYPES: Record<IrErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  overloaded: 'overloaded_error',
  server: 'api_error',
};

const KIND_OF: Record<string, IrErrorKind> = Object.fromEntries(
  Object.entries(ERROR_TYPES).map(([kind, type]) => [type, kind as IrErrorKind]),
);

export function decodeMessagesError(status: number, body: unknown): IrError {
  const error = obj(obj(body)?.error) ?? {};
  const type = str(error.type);
  return {
    kind: (type && KIND_OF[type]) || errorKindOf(status),
    message: str(error.message) ?? `upstream answered HTTP ${status}`,
  };
}

export function encodeMessagesError(error: IrError): Json {
  return defined({ type: 'error', error: { type: ERROR_TYPES[error.kind], message: error.message } });
}
