import type { FlatHeaders } from '../../../http/types';
import { InvalidArgumentError } from './errors';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** undici's rule: a header value of HTAB, visible latin1 and spaces only (no CR, LF, NUL). */
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** undici's rule for the request target: no space, control or non-latin1 character. */
const INVALID_PATH = /[^\u0021-\u00ff]/;
/** Headers this client sets itself from the framing it chooses; a caller's would contradict it. */
const OWN_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'te']);
/** Methods that always carry a body: an empty one is declared with `content-length: 0`. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** How the body follows the head. */
export type BodyFraming = { readonly length: number } | 'chunked' | 'none';

/**
 * The request line and headers as one latin1 string, checked the way undici checks them before
 * sending anything (a bad method, target or header throws InvalidArgumentError, `not_sent` for the
 * proxy). `host` is the origin's unless the caller gives one; a caller's `content-length` must
 * match the body.
 */
export function requestHead(
  method: string,
  path: string,
  host: string,
  headers: FlatHeaders,
  framing: BodyFraming,
): string {
  if (!TOKEN.test(method)) throw new InvalidArgumentError('invalid request method');
  if (path.length === 0 || (path[0] !== '/' && path !== '*') || INVALID_PATH.test(path))
    throw new InvalidArgumentError('invalid request path');
  let head = `${method} ${path} HTTP/1.1\r\n`;
  let hasHost = false;
  let hasLength = false;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i]!;
    const value = headers[i + 1]!;
    if (!TOKEN.test(name)) throw new InvalidArgumentError('invalid header name');
    if (INVALID_VALUE.test(value)) throw new InvalidArgumentError(`invalid ${name} header`);
    const lower = name.toLowerCase();
    if (lower === 'host') hasHost = true;
    else if (lower === 'content-length') {
      checkLength(value, framing);
      hasLength = true;
    } else if (OWN_HEADERS.has(lower)) throw new InvalidArgumentError(`invalid ${name} header`);
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head += `host: ${host}\r\n`;
  head += 'connection: keep-alive\r\n';
  if (framing === 'chunked') head += 'transfer-encoding: chunked\r\n';
  else if (!hasLength) {
    const length = framing === 'none' ? 0 : framing.length;
    if (length > 0 || BODY_METHODS.has(method)) head += `content-length: ${length}\r\n`;
  }
  return `${head}\r\n`;
}

function checkLength(value: string, framing: BodyFraming): void {
  const declared = framing === 'none' ? 0 : framing === 'chunked' ? -1 : framing.length;
  if (value.trim() !== String(declared))
    throw new InvalidArgumentError('content-length does not match the body (request)');
}

/** The framing of a chunk of a chunked request body. */
export function chunkHeader(length: number): string {
  return `${length.toString(16)}\r\n`;
}

export const CHUNK_END = '\r\n';
export const LAST_CHUNK = '0\r\n\r\n';
