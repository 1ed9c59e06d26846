import type { EncodeContext, Json } from '../codec';
import { type IrError, type IrErrorKind, type IrPart, type IrResponse, ZERO_USAGE } from '../ir';
import { decodeChatError, encodeChatError } from '../openai/response';
import { arr, obj, str } from '../translate/json';
import { freeformArgs, freeformInput, freeformNames } from './custom-tools';
import { itemIdOf, responseIdOf } from './ids';
import { customToolCallItem, functionCallItem, messageItem, reasoningItem, responseObject } from './items';
import { encryptedContentOf, thinkingFromItem } from './reasoning';
import { responsesUsage, responsesUsageOut, statusOf, stopOf } from './usage';

/** A Responses answer → IR: reasoning, message text and tool calls, in output order. */
export function decodeResponsesResponse(body: Json): IrResponse {
  const parts = arr(body.output).flatMap((raw) => partsOfItem(obj(raw) ?? {}));
  const calledTools = parts.some((part) => part.type === 'tool_call');
  return {
    id: str(body.id) ?? '',
    model: str(body.model) ?? '',
    parts,
    stop: stopOf(body.status, body.incomplete_details, calledTools),
    usage: { ...ZERO_USAGE, ...responsesUsage(body.usage) },
  };
}

/** One output item's IR parts (built-in tool calls and unknown items: none). */
function partsOfItem(item: Json): IrPart[] {
  const callId = str(item.call_id) ?? str(item.id) ?? '';
  const name = str(item.name) ?? '';
  switch (item.type) {
    case 'reasoning': {
      const thinking = thinkingFromItem(item);
      return thinking ? [thinking] : [];
    }
    case 'message':
      return arr(item.content).flatMap((content) => {
        const text = str(obj(content)?.text) ?? str(obj(content)?.refusal);
        return text ? [{ type: 'text' as const, text }] : [];
      });
    case 'function_call':
      return [{ type: 'tool_call', id: callId, name, args: str(item.arguments) ?? '' }];
    case 'custom_tool_call':
      return [{ type: 'tool_call', id: callId, name, args: freeformArgs(str(item.input) ?? '') }];
    default:
      return [];
  }
}

/** IR → a Responses answer: one output item per part (text, reasoning, function call). */
export function encodeResponsesResponse(response: IrResponse, context: EncodeContext): Json {
  const id = responseIdOf(response.id);
  const freeform = freeformNames(context.request);
  const output: Json[] = [];
  for (const part of response.parts) {
    const at = output.length;
    if (part.type === 'text') output.push(messageItem(itemIdOf(id, 'message', at), [part.text], 'completed'));
    else if (part.type === 'tool_call' && freeform.has(part.name)) {
      const call = { id: part.id, name: part.name, input: freeformInput(part.args) };
      output.push(customToolCallItem(itemIdOf(id, 'custom_tool_call', at), call, 'completed'));
    } else if (part.type === 'tool_call')
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
