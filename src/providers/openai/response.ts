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

const STOP_IN: Record<string, IrStop> = {
  stop: 'end',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'content_filter',
};

export function chatStop(reason: string | undefined): IrStop {
  return (reason && STOP_IN[reason]) || 'end';
}

const STOP_OUT: Record<IrStop, string> = {
  end: 'stop',
  stop_sequence: 'stop',
  pause: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  content_filter: 'content_filter',
};

export function chatFinishReason(stop: IrStop): string {
  return STOP_OUT[stop];
}

/** OpenAI's `prompt_tokens` includes cached tokens; the IR keeps them apart. */
export function chatUsage(value: unknown): Partial<IrUsage> {
  const usage = obj(value);
  if (!usage) return {};
  const prompt = num(usage.prompt_tokens) ?? 0;
  const cached = num(obj(usage.prompt_tokens_details)?.cached_tokens) ?? 0;
  return {
    inputUncached: Math.max(0, prompt - cached),
    cacheRead: cached,
    cacheWrite: 0,
    output: num(usage.completion_tokens) ?? 0,
    reasoning: num(obj(usage.completion_tokens_details)?.reasoning_tokens) ?? 0,
  };
}

export function chatUsageOut(usage: IrUsage): Json {
  const prompt = usage.inputUncached + usage.cacheRead + usage.cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.output,
    total_tokens: prompt + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cacheRead },
    completion_tokens_details: { reasoning_tokens: usage.reasoning },
  };
}

export function decodeChatResponse(body: Json): IrResponse {
  const choice = obj(arr(body.choices)[0]);
  const message = obj(choice?.message) ?? {};
  const parts: IrPart[] = [];
  const reasoning = str(message.reasoning_content) ?? str(message.reasoning);
  if (reasoning) parts.push({ type: 'thinking', text: reasoning, origin: 'openai' });
  const content = str(message.content);
  if (content) parts.push({ type: 'text', text: content });
  for (const raw of arr(message.tool_calls)) {
    const call = obj(raw);
    const fn = obj(call?.function);
    if (call && fn)
      parts.push({
        type: 'tool_call',
        id: str(call.id) ?? '',
        name: str(fn.name) ?? '',
        args: str(fn.arguments) ?? '',
      });
  }
  const hasCalls = parts.some((p) => p.type === 'tool_call');
  const stop = chatStop(str(choice?.finish_reason));
  return {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    parts,
    stop: hasCalls && stop === 'end' ? 'tool_use' : stop,
    usage: { ...ZERO_USAGE, ...chatUsage(body.usage) },
  };
}

export function encodeChatResponse(response: IrResponse, _context: EncodeContext): Json {
  const text = response.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
  const reasoning = response.parts.flatMap((p) => (p.type === 'thinking' ? [p.text] : [])).join('');
  const calls = response.parts.flatMap((p) =>
    p.type === 'tool_call'
      ? [{ id: p.id, type: 'function', function: { name: p.name, arguments: p.args } }]
      : [],
  );
  const message = defined({
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    reasoning_content: reasoning === '' ? undefined : reasoning,
    tool_calls: calls.length > 0 ? calls : undefined,
  });
  return {
    id: response.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.model,
    choices: [{ index: 0, message, finish_reason: chatFinishReason(response.stop), logprobs: null }],
    usage: chatUsageOut(response.usage),
  };
}

const ERROR_TYPES: Record<IrErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  server: 'server_error',
};

export function decodeChatError(status: number, body: unknown): IrError {
  const error = obj(obj(body)?.error) ?? obj(arr(body)[0]) ?? {};
  const message = str(error.message) ?? str(obj(error.error)?.message) ?? `upstream answered HTTP ${status}`;
  return { kind: errorKindOf(status), message };
}

export function encodeChatError(error: IrError): Json {
  return { error: { message: error.message, type: ERROR_TYPES[error.kind], param: null, code: null } };
}
