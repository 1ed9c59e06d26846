import type { FlatHeaders, HeaderRecord } from '../http/types';
import type { Upstream } from '../routing/upstream';

/**
 * The upstream side of the data plane in the gateway's own types (DESIGN.md §4), modelled on
 * undici's Dispatcher: one `dispatch`, a handler with lifecycle callbacks, a controller to pause
 * and abort. `UndiciTransport` (src/adapter/node/) and the worker's fetch transport adapt it.
 */
export interface UpstreamRequest {
  /** Path and query on the upstream's origin. */
  readonly path: string;
  readonly method: string;
  readonly headers: FlatHeaders;
  readonly body: Uint8Array | null;
  /** Milliseconds to wait for the response head. */
  readonly headersTimeout: number;
  /** Milliseconds the body may stay silent between chunks. */
  readonly bodyTimeout: number;
}

/** Lets a handler slow down or stop the response it is receiving. */
export interface UpstreamController {
  pause(): void;
  resume(): void;
  abort(reason: Error): void;
}

/**
 * Receives one upstream response. `onStart` comes first (abort is possible from then on); then
 * `onHead` once, `onData` per chunk and `onEnd`, or `onError` at any point instead of the rest.
 */
export interface UpstreamHandler {
  onStart(controller: UpstreamController): void;
  onHead(status: number, headers: HeaderRecord): void;
  onData(chunk: Uint8Array): void;
  onEnd(): void;
  onError(err: Error): void;
}

/** Sends one attempt to an upstream; the handler receives the response as it arrives. */
export interface Transport {
  dispatch(upstream: Upstream, request: UpstreamRequest, handler: UpstreamHandler): void;
  close(): Promise<void>;
}
