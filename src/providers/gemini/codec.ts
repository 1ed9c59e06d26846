import type { Codec } from '../codec';
import { buildGenerateRequest } from './build';
import { parseGenerateRequest } from './request';
import {
  decodeGeminiError,
  decodeGenerateResponse,
  encodeGeminiError,
  encodeGenerateResponse,
  geminiUsage,
} from './response';
import { GenerateStreamDecoder } from './stream-decode';
import { GenerateStreamEncoder } from './stream-encode';

/** The upstream path of a Gemini generation: the model and the streaming choice are in it. */
export function generatePath(model: string, stream: boolean): string {
  const name = model.startsWith('models/') ? model : `models/${model}`;
  return `/v1beta/${name}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
}

/** Gemini's native API (`generateContent`, `streamGenerateContent?alt=sse`). */
export const GEMINI_CODEC: Codec = {
  path: '/v1beta/models',
  pathFor: (request) => generatePath(request.model, request.stream),
  parseRequest: parseGenerateRequest,
  buildRequest: buildGenerateRequest,
  decodeResponse: decodeGenerateResponse,
  encodeResponse: encodeGenerateResponse,
  decoder: () => new GenerateStreamDecoder(),
  encoder: (context) => new GenerateStreamEncoder(context),
  decodeError: decodeGeminiError,
  encodeError: (error) => encodeGeminiError(error),
  usageOf: geminiUsage,
};
