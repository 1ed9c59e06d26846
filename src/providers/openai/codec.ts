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

/** OpenAI Chat Completions (`/v1/chat/completions`), also what OpenAI-compatible servers speak. */
export const OPENAI_CHAT_CODEC: Codec = {
  path: '/v1/chat/completions',
  parseRequest: parseChatRequest,
  buildRequest: buildChatRequest,
  decodeResponse: decodeChatResponse,
  encodeResponse: encodeChatResponse,
  decoder: () => new ChatStreamDecoder(),
  encoder: (context) => new ChatStreamEncoder(context),
  decodeError: decodeChatError,
  encodeError: encodeChatError,
  usageOf: chatUsage,
};
