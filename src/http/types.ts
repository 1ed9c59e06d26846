/**
 * The gateway's own HTTP types (DESIGN.md §4): what the lifecycle sees of a client's request and
 * of the response it writes. ConfigSnapshot adapters implement them: `src/adapter/node/` over node:http,
 * `src/adapter/worker/` over `Request`/`Response`. Nothing here names a runtime.
 */

/** Headers as a flat `[name, value, name, value, …]` list, names as sent. */
export type FlatHeaders = readonly string[];

/** Headers by lower-case name; repeated headers as an array (undici's and node:http's shape). */
export type HeaderRecord = Readonly<Record<string, string | string[] | undefined>>;

/** One client request as it arrived: the body is read on demand, up to a limit. */
export interface ClientRequest {
  readonly method: string;
  /** The request target exactly as sent (origin form, or absolute form from proxies). */
  readonly target: string;
  readonly rawHeaders: FlatHeaders;
  /** The first value of a header, by lower-case name. */
  header(name: string): string | undefined;
  /** The peer's address as the runtime reports it ('' when unknown). */
  readonly remoteAddress: string;
  /**
   * The whole body, or null when the request has none. Rejects with a `request_too_large`
   * GatewayError past `limit` bytes, a `request_timeout` one past the deadlines, and with a
   * ClientCancelledError when the client goes away.
   */
  readBody(limit: number, deadlines?: BodyDeadlines): Promise<Uint8Array | null>;
}

/** Which body deadline cut a client off. */
export type BodyTimeout = 'body_idle_timeout' | 'body_timeout';

/** How long a client may take to send its body (`server.timeouts`); past them, 408. */
export interface BodyDeadlines {
  /** The longest gap between two pieces of the body. */
  readonly idleMs: number;
  /** The whole body, from the end of the headers. */
  readonly totalMs: number;
  /** Told which deadline cut a client off (metrics). */
  readonly onTimeout?: (event: BodyTimeout) => void;
}

/**
 * Where the response to one client request goes. Only the exchange (and the gateway's own
 * replies) write here; an upstream attempt never does.
 */
export interface ClientSink {
  /** True once the head was written. */
  readonly headersSent: boolean;
  /** True once the response ended or the connection is gone. */
  readonly closed: boolean;
  writeHead(status: number, headers: FlatHeaders): void;
  /** Sends the head now rather than with the first chunk (SSE clients wait for it). */
  flushHeaders(): void;
  /** Writes a chunk; false asks the writer to wait for `onDrain`. */
  write(chunk: Uint8Array | string): boolean;
  /** Calls back once when the client can take more after `write` returned false. */
  onDrain(callback: () => void): void;
  end(chunk?: Uint8Array | string): void;
  /** Ends the response abruptly (the client sees a reset or a cut body). */
  abort(reason?: Error): void;
  /**
   * Calls back once if the client goes away before the response ended; the returned function
   * stops listening.
   */
  onClose(callback: () => void): () => void;
}

/** The first value of a header in a record. */
export function headerValue(headers: HeaderRecord, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A header record as a flat list, for `writeHead`. */
export function flatten(headers: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const name in headers) out.push(name, headers[name]!);
  return out;
}
