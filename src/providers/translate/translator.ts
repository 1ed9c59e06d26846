import { text, utf8 } from '../../http/bytes';
import type { HeaderRecord } from '../../http/types';
import type { Codec, EncodeContext, StreamDecoder, StreamEncoder } from '../codec';
import { type IrError, type IrEvent, type IrUsage, mergeIrUsage, ZERO_USAGE } from '../ir';
import { parseObject } from './json';
import { JsonOutputStream, unwrapJsonOutput } from './json-output';
import { SseParser } from './sse';

const EMPTY = new Uint8Array(0);

/**
 * One committed attempt's answer, from the upstream's format to the client's: a stream chunk
 * by chunk (never buffered beyond an unfinished event), a held JSON answer whole, an error body
 * in the client format's error shape with its status. Reads the normalised usage on the way.
 */
export class ResponseTranslator {
  private parser: SseParser | undefined;
  private decoder: StreamDecoder | undefined;
  private encoder: StreamEncoder | undefined;
  /** Turns an emulated structured output's tool call back into text (json-output.ts). */
  private jsonOutput: JsonOutputStream | undefined;
  private ended = false;
  /** The usage the upstream reported, normalised; undefined until it reports any. */
  usage: IrUsage | undefined;

  constructor(
    private readonly upstream: Codec,
    private readonly client: Codec,
    private readonly context: EncodeContext,
  ) {}

  /** The head of a successful stream or answer, as the client's format has it. */
  head(headers: HeaderRecord, stream: boolean): HeaderRecord {
    const out: Record<string, string | string[] | undefined> = {};
    for (const name in headers)
      if (name !== 'content-length' && name !== 'content-type') out[name] = headers[name];
    out['content-type'] = stream ? 'text/event-stream; charset=utf-8' : 'application/json';
    if (stream) {
      this.parser = new SseParser();
      this.decoder = this.upstream.decoder();
      this.encoder = this.client.encoder(this.context);
      const format = this.context.request.responseFormat;
      if (format) this.jsonOutput = new JsonOutputStream(format);
    }
    return out;
  }

  chunk(bytes: Uint8Array): Uint8Array {
    if (!this.parser || this.ended) return EMPTY;
    let out = '';
    for (const event of this.parser.feed(bytes)) out += this.emit(this.decoder?.decode(event) ?? []);
    return out === '' ? EMPTY : utf8(out);
  }

  /** The upstream stream ended cleanly: what the client's format still needs to end. */
  end(): Uint8Array {
    if (!this.parser || this.ended) return EMPTY;
    let out = '';
    for (const event of this.parser.end()) out += this.emit(this.decoder?.decode(event) ?? []);
    out += this.emit(this.decoder?.end() ?? []);
    if (!this.ended) out += this.encoder?.end() ?? '';
    this.ended = true;
    return utf8(out);
  }

  /** The upstream stream broke: the client format's error event that ends the stream. */
  fail(message: string): Uint8Array {
    if (!this.encoder || this.ended) return EMPTY;
    this.ended = true;
    return utf8(this.encoder.fail({ kind: 'server', message }));
  }

  /** A held successful JSON answer. */
  body(bytes: Uint8Array): Uint8Array {
    const parsed = parseObject(text(bytes));
    if (!parsed)
      return utf8(
        JSON.stringify(
          this.client.encodeError({ kind: 'server', message: 'the upstream answer was not JSON' }),
        ),
      );
    const response = unwrapJsonOutput(
      this.upstream.decodeResponse(parsed),
      this.context.request.responseFormat,
    );
    this.usage = response.usage;
    return utf8(JSON.stringify(this.client.encodeResponse(response, this.context)));
  }

  /** An upstream error body, in the client format's shape (the status stays). */
  error(status: number, bytes: Uint8Array): Uint8Array {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text(bytes));
    } catch {
      parsed = undefined;
    }
    const error: IrError = this.upstream.decodeError(status, parsed);
    return utf8(JSON.stringify(this.client.encodeError(error)));
  }

  private emit(decoded: IrEvent[]): string {
    const events = this.jsonOutput ? this.jsonOutput.map(decoded) : decoded;
    let out = '';
    for (const event of events) {
      if (this.ended) break;
      if (event.type === 'usage') this.usage = mergeIrUsage(this.usage ?? ZERO_USAGE, event.usage);
      if (event.type === 'start' && event.usage)
        this.usage = mergeIrUsage(this.usage ?? ZERO_USAGE, event.usage);
      out += this.encoder?.encode(event) ?? '';
      if (event.type === 'error') this.ended = true;
    }
    return out;
  }
}
