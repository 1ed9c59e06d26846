import type { WireFormat } from '../../config/schema/upstream';
import { ANTHROPIC_CODEC } from '../anthropic/codec';
import type { Codec } from '../codec';
import { OPENAI_CHAT_CODEC, OPENAI_CODEC } from '../openai/codec';
import { RESPONSES_CODEC } from '../responses/codec';

/** The API families a client request can be translated from, by path. */
export type ClientApi = 'openai-chat' | 'openai-responses' | 'anthropic' | 'anthropic-count';

/**
 * The family of a client request's path (after any prefix), or undefined (never translated).
 * Anthropic's paths must end in `/v1/messages…`: OpenAI's Assistants API has `/threads/{id}/messages`.
 */
export function clientApiOf(path: string): ClientApi | undefined {
  if (path.endsWith('/chat/completions')) return 'openai-chat';
  if (path.endsWith('/responses')) return 'openai-responses';
  if (path.endsWith('/v1/messages/count_tokens')) return 'anthropic-count';
  if (path.endsWith('/v1/messages')) return 'anthropic';
  return undefined;
}

/** The codec a client API is read and answered with. */
export function clientCodec(api: Exclude<ClientApi, 'anthropic-count'>): Codec {
  if (api === 'openai-responses') return RESPONSES_CODEC;
  return api === 'anthropic' ? ANTHROPIC_CODEC : OPENAI_CHAT_CODEC;
}

/** The codec an upstream's format is spoken with; undefined while it has none (Gemini). */
export function upstreamCodec(format: WireFormat): Codec | undefined {
  if (format === 'anthropic') return ANTHROPIC_CODEC;
  if (format === 'openai') return OPENAI_CODEC;
  if (format === 'openai-chat') return OPENAI_CHAT_CODEC;
  return undefined;
}

/** True when the client's API is the upstream's own: the request passes through untouched. */
export function speaksNatively(api: ClientApi, format: WireFormat): boolean {
  if (api === 'openai-chat') return format === 'openai' || format === 'openai-chat';
  if (api === 'openai-responses') return format === 'openai';
  return format === 'anthropic';
}
