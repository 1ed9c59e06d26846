import type { Codec } from '../codec';
import { buildChatRequest, parseChatRequest } from './request';
import {
  chatUsage,
  decodeChatError,
  decodeChatResponse,
  encodeChatError,
  encodeChatResponse,
} from './response';
import { ChatStreamDecoder } from './stream-decode';
import { ChatStreamEncoder } from './stream-encode';

/**
 * OpenAI Chat Completions (`/v1/chat/completions`) as OpenAI-compatible servers speak it
 * (`format: openai-chat`): the answer's limit in `max_tokens`.
 */
export const OPENAI_CHAT_CODEC: Codec = {
  path: '/v1/chat/completions',
  parseRequest: parseChatRequest,
  buildRequest: (request) => buildChatRequest(request, 'max_tokens'),
  decodeResponse: decodeChatResponse,
  encodeResponse: encodeChatResponse,
  decoder: () => new ChatStreamDecoder(),
  encoder: (context) => new ChatStreamEncoder(context),
  decodeError: decodeChatError,
  encodeError: encodeChatError,
  usageOf: chatUsage,
};

/** OpenAI's own API (`format: openai`): the limit in `max_completion_tokens`, as its reasoning models need. */
export const OPENAI_CODEC: Codec = {
  ...OPENAI_CHAT_CODEC,
  buildRequest: (request) => buildChatRequest(request, 'max_completion_tokens'),
};
