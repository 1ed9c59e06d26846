import type { IrError, IrEvent, IrRequest, IrResponse, IrUsage } from './ir';

export type Json = Record<string, unknown>;

/** One server-sent event as read from a stream. */
export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** Turns one format's upstream stream into IR events (stateful, one per response). */
export interface StreamDecoder {
  /** The IR events one upstream SSE event means (none for pings and the like). */
  decode(event: SseEvent): IrEvent[];
  /** The upstream stream ended: events still owed (closing an open block, the finish). */
  end(): IrEvent[];
}

/** Turns IR events into one format's client stream (stateful, one per response). */
export interface StreamEncoder {
  /** The SSE text for one IR event. */
  encode(event: IrEvent): string;
  /** The stream's end: what the format sends last (`message_stop`, `[DONE]`). */
  end(): string;
  /** The stream broke: the format's own error event that ends it. */
  fail(error: IrError): string;
}

/** What an encoder knows of the request it answers. */
export interface EncodeContext {
  readonly request: IrRequest;
  /** Prompt tokens counted locally, for formats that announce them before the upstream does. */
  readonly estimatedInput: number;
}

/**
 * One wire format, both ways: a client request in, an upstream request out, an upstream answer
 * in, a client answer out. Same-format traffic never goes through a codec (it passes through).
 */
export interface Codec {
  /** The upstream path (after the upstream URL's own path) of a generation request. */
  readonly path: string;
  /** The path for this request when it depends on it (Gemini: the model and streaming are in it). */
  pathFor?(request: IrRequest): string;
  parseRequest(body: Json): IrRequest;
  buildRequest(request: IrRequest): Json;
  decodeResponse(body: Json): IrResponse;
  encodeResponse(response: IrResponse, context: EncodeContext): Json;
  decoder(): StreamDecoder;
  encoder(context: EncodeContext): StreamEncoder;
  decodeError(status: number, body: unknown): IrError;
  encodeError(error: IrError): Json;
  /** The usage figures of this format's `usage` object. */
  usageOf(body: unknown): Partial<IrUsage>;
}
