import type { EncodeContext, Json } from '../codec';
import { type IrError, type IrErrorKind, type IrPart, type IrResponse, ZERO_USAGE } from '../ir';
import { decodeChatError, encodeChatError } from '../openai/response';
import { arr, obj, str } from '../translate/json';
import { itemIdOf, responseIdOf } from './ids';
import { functionCallItem, messageItem, reasoningItem, responseObject } from './items';
import { encryptedContentOf, thinkingFromItem } from './reasoning';
import { responsesUsage, responsesUsageOut, statusOf, stopOf } from './usage';

/** A Responses answer → IR: reasoning, message text and function calls, in output order. */
export function decodeResponsesResponse(body: Json): IrResponse {
  const parts: IrPart[] = [];
  for (const raw of arr(body.output)) {
    const item = obj(raw) ?? {};
    if (item.type === 'reasoning') {
      const thinking = thinkingFromItem(item);
      if (thinking) parts.push(thinking);
    } else if (item.type === 'message') {
      for (const content of arr(item.content)) {
        const text = str(obj(content)?.text) ?? str(obj(content)?.refusal);
        if (text) parts.push({ type: 'text', text });
      }
    } else if (item.type === 'function_call') {
      const id = str(item.call_id) ?? str(item.id) ?? '';
      parts.push({ type: 'tool_call', id, name: str(item.name) ?? '', args: str(item.arguments) ?? '' });
    }
  }
  const calledTools = parts.some((part) => part.type === 'tool_call');
  return {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    parts,
    stop: stopOf(body.status, body.incomplete_details, calledTools),
    usage: { ...ZERO_USAGE, ...responsesUsage(body.usage) },
  };
}

/** IR → a Responses answer: one output item per part (text, reasoning, function call). */
export function encodeResponsesResponse(response: IrResponse, context: EncodeContext): Json {
  const id = responseIdOf(response.id);
  const output: Json[] = [];
  for (const part of response.parts) {
    const at = output.length;
    if (part.type === 'text') output.push(messageItem(itemIdOf(id, 'message', at), [part.text], 'completed'));
    else if (part.type === 'tool_call')
      output.push(
        functionCallItem(
          itemIdOf(id, 'function_call', at),
          { ...part, args: part.args || '{}' },
          'completed',
        ),
      );
    else if (part.type === 'thinking' || part.type === 'redacted_thinking') {
      const text = part.type === 'thinking' ? part.text : '';
      output.push(reasoningItem(itemIdOf(id, 'reasoning', at), text, encryptedContentOf(part)));
    }
  }
  const { status, incomplete_details } = statusOf(response.stop);
  return responseObject(
    {
      id,
      model: response.model,
      createdAt: Math.floor(Date.now() / 1000),
      status,
      incompleteDetails: incomplete_details,
      output,
      usage: responsesUsageOut(response.usage),
    },
    context,
  );
}

/** Responses errors are OpenAI's `{"error":{message,type,param,code}}`. */
export function decodeResponsesError(status: number, body: unknown): IrError {
  return decodeChatError(status, body);
}

export function encodeResponsesError(error: IrError): Json {
  return encodeChatError(error);
}

/** The `error.code` of a failed response (`response.failed`) for an error kind. */
export function failureCode(kind: IrErrorKind): string {
  if (kind === 'rate_limit') return 'rate_limit_exceeded';
  if (kind === 'invalid_request' || kind === 'too_large') return 'invalid_prompt';
  return 'server_error';
}
