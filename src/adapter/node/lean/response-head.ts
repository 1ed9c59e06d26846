import { ResponseParseError } from './errors';

/** A parsed response head and what it says about the body's framing and the connection's reuse. */
export interface ResponseHead {
  readonly status: number;
  /** Lower-case names; a repeated header as an array (undici's shape). */
  readonly headers: Record<string, string | string[]>;
  /** -1 when the head declares no length. */
  readonly contentLength: number;
  readonly chunked: boolean;
  /** HTTP/1.1 without `connection: close`, or HTTP/1.0 with `connection: keep-alive`. */
  readonly keepAlive: boolean;
  /** `keep-alive: timeout=N` in milliseconds, when given. */
  readonly keepAliveTimeout: number | undefined;
  /** `keep-alive: max=N`: how many more requests the server takes on this connection. */
  readonly keepAliveMax: number | undefined;
}

const STATUS_LINE = /^HTTP\/1\.([01]) ([0-9]{3})(?: [\t\x20-\x7e\x80-\xff]*)?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const DIGITS = /^[0-9]{1,15}$/;

/** Collects header lines; framing headers are checked as they come. */
class HeadBuilder {
  readonly headers: Record<string, string | string[]> = Object.create(null);
  contentLength = -1;
  transferEncoding: string | undefined;
  connection = '';
  keepAlive = '';

  add(name: string, value: string): void {
    if (name === 'content-length') this.length(value);
    else if (name === 'transfer-encoding') {
      this.transferEncoding =
        this.transferEncoding === undefined ? value : `${this.transferEncoding},${value}`;
    } else if (name === 'connection') this.connection += `,${value.toLowerCase()}`;
    else if (name === 'keep-alive') this.keepAlive += `,${value.toLowerCase()}`;
    const existing = this.headers[name];
    if (existing === undefined) this.headers[name] = value;
    else if (typeof existing === 'string') this.headers[name] = [existing, value];
    else existing.push(value);
  }

  private length(value: string): void {
    if (this.contentLength !== -1) throw fail('HPE_UNEXPECTED_CONTENT_LENGTH', 'duplicate content-length');
    if (!DIGITS.test(value)) throw fail('HPE_INVALID_CONTENT_LENGTH', 'invalid content-length');
    this.contentLength = Number(value);
  }

  /** Whether the body is chunked; any other transfer coding is refused. */
  chunked(): boolean {
    const codings = this.transferEncoding;
    if (codings === undefined) return false;
    if (this.contentLength !== -1)
      throw fail('HPE_UNEXPECTED_CONTENT_LENGTH', 'both transfer-encoding and content-length');
    const list = codings.split(',').map((coding) => coding.trim().toLowerCase());
    if (list.length !== 1 || list[0] !== 'chunked')
      throw fail('HPE_INVALID_TRANSFER_ENCODING', `unsupported transfer-encoding "${codings}"`);
    return true;
  }
}

/**
 * Parses a response head: the text up to and including the CRLF before the blank line, decoded as
 * latin1. Throws ResponseParseError on anything llhttp would refuse in strict mode (obsolete line
 * folding, whitespace before a colon, control characters, a bad or duplicate length).
 */
export function parseResponseHead(text: string): ResponseHead {
  let end = text.indexOf('\r\n');
  const statusLine = STATUS_LINE.exec(text.slice(0, end));
  if (!statusLine) throw fail('HPE_INVALID_STATUS', 'invalid status line');
  const builder = new HeadBuilder();
  for (let start = end + 2; start < text.length; start = end + 2) {
    end = text.indexOf('\r\n', start);
    const first = text.charCodeAt(start);
    if (first === 0x20 || first === 0x09) throw fail('HPE_INVALID_HEADER_TOKEN', 'obsolete line folding');
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon > end) throw fail('HPE_INVALID_HEADER_TOKEN', 'header line without a colon');
    const name = text.slice(start, colon);
    if (!TOKEN.test(name)) throw fail('HPE_INVALID_HEADER_TOKEN', 'invalid header name');
    const value = text.slice(colon + 1, end).trim();
    if (INVALID_VALUE.test(value)) throw fail('HPE_INVALID_HEADER_TOKEN', 'invalid header value');
    builder.add(name.toLowerCase(), value);
  }
  return finish(builder, statusLine[1] === '1', Number(statusLine[2]));
}

function finish(builder: HeadBuilder, http11: boolean, status: number): ResponseHead {
  const connection = builder.connection;
  const keepAlive = http11 ? !hasToken(connection, 'close') : hasToken(connection, 'keep-alive');
  return {
    status,
    headers: builder.headers,
    contentLength: builder.contentLength,
    chunked: builder.chunked(),
    keepAlive,
    keepAliveTimeout: parameter(builder.keepAlive, 'timeout', 1000),
    keepAliveMax: parameter(builder.keepAlive, 'max', 1),
  };
}

function hasToken(list: string, token: string): boolean {
  if (list === '') return false;
  for (const item of list.split(',')) if (item.trim() === token) return true;
  return false;
}

/** `timeout=5` in a `keep-alive` header, times `scale`. */
function parameter(list: string, name: string, scale: number): number | undefined {
  if (list === '') return undefined;
  for (const item of list.split(',')) {
    const [key, value] = item.split('=');
    if (key?.trim() === name && value !== undefined && DIGITS.test(value.trim()))
      return Number(value) * scale;
  }
  return undefined;
}

function fail(code: string, message: string): ResponseParseError {
  return new ResponseParseError(code, message);
}
