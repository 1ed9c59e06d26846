import type { Codec } from '../codec';
import { parseResponsesRequest } from './request';
import { buildResponsesRequest } from './request-out';
import {
  decodeResponsesError,
  decodeResponsesResponse,
  encodeResponsesError,
  encodeResponsesResponse,
} from './response';
import { ResponsesStreamDecoder } from './stream-decode';
import { ResponsesStreamEncoder } from './stream-encode';
import { responsesUsage } from './usage';

/** OpenAI Responses (`/v1/responses`), stateless: no `previous_response_id`, nothing stored. */
export const RESPONSES_CODEC: Codec = {
  path: '/v1/responses',
  parseRequest: parseResponsesRequest,
  buildRequest: buildResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  encodeResponse: encodeResponsesResponse,
  decoder: () => new ResponsesStreamDecoder(),
  encoder: (context) => new ResponsesStreamEncoder(context),
  decodeError: decodeResponsesError,
  encodeError: encodeResponsesError,
  usageOf: responsesUsage,
};
