import type { WireFormat } from '../../config/schema/upstream';
import { ANTHROPIC_CODEC } from '../anthropic/codec';
import type { Codec } from '../codec';
import { GEMINI_CODEC } from '../gemini/codec';
import { type GeminiMethod, geminiTarget } from '../gemini/path';
import { OPENAI_CHAT_CODEC, OPENAI_CODEC } from '../openai/codec';
import { RESPONSES_CODEC } from '../responses/codec';

/** The API families a client request can be translated from, by path. */
export type ClientApi =
  | 'openai-chat'
  | 'openai-responses'
  | 'openai-embed'
  | 'anthropic'
  | 'anthropic-count'
  | 'gemini'
  | 'gemini-count'
  | 'gemini-embed';

/** The client APIs that ask for a generation (the ones with a codec). */
export type GenerationApi = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini';

/** True for the client APIs that ask for a generation (and so have a codec). */
export function isGenerationApi(api: ClientApi): api is GenerationApi {
  return api === 'openai-chat' || api === 'openai-responses' || api === 'anthropic' || api === 'gemini';
}

const GEMINI_APIS: Record<GeminiMethod, ClientApi> = {
  generateContent: 'gemini',
  streamGenerateContent: 'gemini',
  countTokens: 'gemini-count',
  embedContent: 'gemini-embed',
  batchEmbedContents: 'gemini-embed',
};

/**
 * The family of a client request's path (after any prefix), or undefined (never translated).
 * Anthropic's paths must end in `/v1/messages…`: OpenAI's Assistants API has `/threads/{id}/messages`.
 */
export function clientApiOf(path: string): ClientApi | undefined {
  if (path.endsWith('/chat/completions')) return 'openai-chat';
  if (path.endsWith('/responses')) return 'openai-responses';
  if (path.endsWith('/v1/messages/count_tokens')) return 'anthropic-count';
  if (path.endsWith('/v1/messages')) return 'anthropic';
  if (path.endsWith('/embeddings')) return 'openai-embed';
  const gemini = geminiTarget(path);
  return gemini ? GEMINI_APIS[gemini.method] : undefined;
}

/** The codec a client API is read and answered with. */
export function clientCodec(api: GenerationApi): Codec {
  if (api === 'gemini') return GEMINI_CODEC;
  if (api === 'openai-responses') return RESPONSES_CODEC;
  return api === 'anthropic' ? ANTHROPIC_CODEC : OPENAI_CHAT_CODEC;
}

/** The codec an upstream's format is spoken with. */
export function upstreamCodec(format: WireFormat): Codec | undefined {
  if (format === 'anthropic') return ANTHROPIC_CODEC;
  if (format === 'gemini') return GEMINI_CODEC;
  if (format === 'openai') return OPENAI_CODEC;
  if (format === 'openai-chat') return OPENAI_CHAT_CODEC;
  return undefined;
}

/** True when the client's API is the upstream's own: the request passes through untouched. */
export function speaksNatively(api: ClientApi, format: WireFormat): boolean {
  if (api === 'openai-chat' || api === 'openai-embed') return format === 'openai' || format === 'openai-chat';
  if (api === 'gemini' || api === 'gemini-count' || api === 'gemini-embed') return format === 'gemini';
  if (api === 'openai-responses') return format === 'openai';
  return format === 'anthropic';
}
