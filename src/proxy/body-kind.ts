/**
 * How the gateway reads a request body, whatever its `Content-Type` says:
 * - `json`: parsed, and refused (400 `invalid_json`) when it does not parse. Bodies declared
 *   JSON, and every body sent to an endpoint that only takes JSON.
 * - `maybe`: parsed when it is JSON, passed on untouched when it is not. Bodies with no type,
 *   `text/*`, `application/x-www-form-urlencoded` or any other type on the remaining paths.
 * - `opaque`: never parsed. `multipart/*` and binary uploads (`application/octet-stream`, audio,
 *   image and video types, DNS messages) on the remaining paths.
 * A client cannot skip model routes, `reject` rules, rewrites or the quota estimate by sending
 * JSON under another content type: an upstream may well read it as JSON anyway.
 */
export type BodyKind = 'json' | 'maybe' | 'opaque';

/** Endpoints whose body is always JSON (OpenAI, Anthropic, Gemini), after any path prefix. */
const JSON_ONLY_PATH =
  /(?:\/chat\/completions|\/completions|\/embeddings|\/responses|\/moderations|\/images\/generations|\/audio\/speech|\/messages|\/messages\/count_tokens|\/rerank|:generateContent|:streamGenerateContent|:countTokens|:embedContent|:batchEmbedContents)$/;

const BINARY_TYPE = /^(?:application\/(?:octet-stream|dns-message|pdf|zip|gzip)|audio\/|image\/|video\/)/;

export function bodyKind(contentType: string | undefined, path: string): BodyKind {
  const type = mediaType(contentType);
  if (type.includes('json') || JSON_ONLY_PATH.test(path)) return 'json';
  if (type.startsWith('multipart/') || BINARY_TYPE.test(type)) return 'opaque';
  return 'maybe';
}

/** The media type alone, lower case, without parameters. */
function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}
