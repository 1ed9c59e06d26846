import type { HeaderRecord } from '../../../http/types';
import type { UpstreamController, UpstreamHandler, UpstreamRequest } from '../../../proxy/transport';

/** A request body: whole (sent with content-length) or a stream (sent chunked). */
export type LeanBody = Uint8Array | AsyncIterable<Uint8Array> | null;

/** The transport seam's request, with a body that may also be a stream. */
export interface LeanRequest extends Omit<UpstreamRequest, 'body'> {
  readonly body: LeanBody;
}

/** What a request needs from the connection carrying it. */
export interface Carrier {
  pause(): void;
  resume(): void;
  /** Drops the request: its socket is destroyed, never reused. */
  drop(request: PendingRequest): void;
}

/**
 * One request from dispatch to its end, and the controller its handler steers. It outlives no
 * connection: once it ended, pause, resume and abort do nothing, so a late call can never touch
 * the next request on the same socket.
 */
export class PendingRequest implements UpstreamController {
  carrier: Carrier | undefined;
  finished = false;
  paused = false;

  constructor(
    readonly options: LeanRequest,
    /** The request line and headers, checked and ready to write. */
    readonly head: string,
    private readonly handler: UpstreamHandler,
    /** Takes the request off the pool's queue when it is aborted while waiting. */
    private readonly dequeue: (request: PendingRequest) => void,
  ) {}

  pause(): void {
    if (this.finished) return;
    this.paused = true;
    this.carrier?.pause();
  }

  resume(): void {
    if (this.finished) return;
    this.paused = false;
    this.carrier?.resume();
  }

  abort(reason: Error): void {
    if (this.finished) return;
    this.finished = true;
    if (this.carrier) this.carrier.drop(this);
    else this.dequeue(this);
    this.handler.onError(reason);
  }

  /** Hands the controller to the handler (abort is possible from then on). */
  start(): void {
    this.handler.onStart(this);
  }

  receivedHead(status: number, headers: HeaderRecord): void {
    if (!this.finished) this.handler.onHead(status, headers);
  }

  receivedData(chunk: Uint8Array): void {
    if (!this.finished) this.handler.onData(chunk);
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.handler.onEnd();
  }

  fail(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.handler.onError(err);
  }
}
