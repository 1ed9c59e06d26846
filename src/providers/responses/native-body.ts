import type { Json } from '../codec';
import { obj, str } from '../translate/json';
import { isGatewayReasoning } from './reasoning';

/**
 * A Responses request for an upstream of `format: openai` keeps its bytes, except in one case:
 * its history holds reasoning items the gateway wrote for another family (an Anthropic turn
 * earlier in the conversation, on the same route). OpenAI cannot decrypt their
 * `encrypted_content` and refuses the whole request, so those items are left out; the body is
 * otherwise the client's. Undefined: nothing to change (the bytes pass through).
 */
export function withoutForeignReasoning(json: Json | undefined): Json | undefined {
  const input = json?.input;
  if (!json || !Array.isArray(input)) return undefined;
  const kept = input.filter((item) => !isForeign(item));
  return kept.length === input.length ? undefined : { ...json, input: kept };
}

function isForeign(item: unknown): boolean {
  const reasoning = obj(item);
  return reasoning?.type === 'reasoning' && isGatewayReasoning(str(reasoning.encrypted_content));
}
