import type { Codec } from '../codec';
import { buildMessagesRequest, parseMessagesRequest } from './request';
import {
  decodeMessagesError,
  decodeMessagesResponse,
  encodeMessagesError,
  encodeMessagesResponse,
  messagesUsage,
} from './response';
import { MessagesStreamDecoder } from './stream-decode';
import { MessagesStreamEncoder } from './stream-encode';

/** Anthropic Messages (`/v1/messages`). */
export const ANTHROPIC_CODEC: Codec = {
  path: '/v1/messages',
  parseRequest: parseMessagesRequest,
  buildRequest: buildMessagesRequest,
  decodeResponse: decodeMessagesResponse,
  encodeResponse: encodeMessagesResponse,
  decoder: () => new MessagesStreamDecoder(),
  encoder: (context) => new MessagesStreamEncoder(context),
  decodeError: decodeMessagesError,
  encodeError: encodeMessagesError,
  usageOf: messagesUsage,
};
