import { ResponseParseError } from './errors';

enum State {
  Size,
  SizeSpace,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerName,
  TrailerValue,
  TrailerLf,
  EndLf,
  Done,
}

const CR = 0x0d;
const LF = 0x0a;
const SEMICOLON = 0x3b;
/** 13 hex digits stay below 2^53. */
const MAX_SIZE_DIGITS = 13;
/** The longest chunk-size line with its extensions. */
const MAX_LINE = 4096;

/**
 * Decodes a `transfer-encoding: chunked` body (RFC 9112 §7.1) as it arrives: chunk extensions are
 * read and ignored, trailers are checked and dropped. Data comes out as views of the input (no
 * copy), one run per `decode` call.
 */
export class ChunkedDecoder {
  private state = State.Size;
  private size = 0;
  private digits = 0;
  private lineBytes = 0;
  private trailerBytes = 0;

  constructor(private readonly maxTrailerSize: number) {}

  get done(): boolean {
    return this.state === State.Done;
  }

  reset(): void {
    this.state = State.Size;
    this.size = 0;
    this.digits = 0;
    this.lineBytes = 0;
    this.trailerBytes = 0;
  }

  /**
   * Reads from `buf` at `at` until one run of data is found (handed to `emit`), the body ends, or
   * the input does: returns the index after the last byte used.
   */
  decode(buf: Uint8Array, at: number, emit: (data: Uint8Array) => void): number {
    let i = at;
    while (i < buf.length && this.state !== State.Done) {
      if (this.state === State.Data) {
        const n = Math.min(this.size, buf.length - i);
        this.size -= n;
        if (this.size === 0) this.state = State.DataCr;
        emit(buf.subarray(i, i + n));
        return i + n;
      }
      this.step(buf[i]!);
      i++;
    }
    return i;
  }

  private step(byte: number): void {
    switch (this.state) {
      case State.Size:
        this.sizeDigit(byte);
        return;
      case State.SizeSpace:
        if (byte !== 0x20 && byte !== 0x09) this.afterSize(byte);
        return;
      case State.Extension:
        if (byte === CR) this.state = State.SizeLf;
        else if (!isFieldByte(byte)) throw fail('HPE_INVALID_CHUNK_SIZE', 'invalid chunk extension');
        else if (++this.lineBytes > MAX_LINE)
          throw fail('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'chunk extensions too long');
        return;
      case State.SizeLf:
        expect(byte, LF, 'HPE_INVALID_CHUNK_SIZE');
        this.state = this.size === 0 ? State.TrailerStart : State.Data;
        return;
      case State.DataCr:
        expect(byte, CR, 'HPE_INVALID_CHUNK_SIZE');
        this.state = State.DataLf;
        return;
      case State.DataLf:
        expect(byte, LF, 'HPE_INVALID_CHUNK_SIZE');
        this.state = State.Size;
        this.digits = 0;
        this.lineBytes = 0;
        return;
      default:
        this.trailer(byte);
    }
  }

  private sizeDigit(byte: number): void {
    const digit = hexValue(byte);
    if (digit === -1) {
      this.afterSize(byte);
      return;
    }
    if (++this.digits > MAX_SIZE_DIGITS) throw fail('HPE_INVALID_CHUNK_SIZE', 'chunk size too large');
    this.size = this.size * 16 + digit;
  }

  /** After the size's digits: spaces, extensions, or the end of the line. */
  private afterSize(byte: number): void {
    if (this.digits === 0) throw fail('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
    if (byte === CR) this.state = State.SizeLf;
    else if (byte === SEMICOLON) this.state = State.Extension;
    else if (byte === 0x20 || byte === 0x09) this.state = State.SizeSpace;
    else throw fail('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
  }

  private trailer(byte: number): void {
    if (++this.trailerBytes > this.maxTrailerSize) throw fail('HPE_HEADER_OVERFLOW', 'trailers too large');
    switch (this.state) {
      case State.TrailerStart:
        if (byte === CR) this.state = State.EndLf;
        else if (isTokenByte(byte)) this.state = State.TrailerName;
        else throw fail('HPE_INVALID_HEADER_TOKEN', 'invalid trailer');
        return;
      case State.TrailerName:
        if (byte === 0x3a) this.state = State.TrailerValue;
        else if (!isTokenByte(byte)) throw fail('HPE_INVALID_HEADER_TOKEN', 'invalid trailer name');
        return;
      case State.TrailerValue:
        if (byte === CR) this.state = State.TrailerLf;
        else if (!isFieldByte(byte)) throw fail('HPE_INVALID_HEADER_TOKEN', 'invalid trailer value');
        return;
      case State.TrailerLf:
        expect(byte, LF, 'HPE_INVALID_HEADER_TOKEN');
        this.state = State.TrailerStart;
        return;
      default:
        expect(byte, LF, 'HPE_INVALID_CHUNK_SIZE');
        this.state = State.Done;
    }
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x57;
  return -1;
}

/** HTAB, visible ASCII, space and obs-text: what a field value (or an extension) may hold. */
function isFieldByte(byte: number): boolean {
  return byte === 0x09 || (byte >= 0x20 && byte !== 0x7f);
}

const TOKEN_SYMBOLS = new Set([..."!#$%&'*+-.^_`|~"].map((c) => c.charCodeAt(0)));

function isTokenByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a) ||
    TOKEN_SYMBOLS.has(byte)
  );
}

function expect(byte: number, wanted: number, code: string): void {
  if (byte !== wanted) throw fail(code, 'malformed chunked encoding');
}

function fail(code: string, message: string): ResponseParseError {
  return new ResponseParseError(code, message);
}
