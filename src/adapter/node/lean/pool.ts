import type { UpstreamHandler } from '../../../proxy/transport';
import { Connection, type ConnectionLimits, type ConnectionOwner, type Endpoint } from './connection';
import { ClientClosedError } from './errors';
import { type LeanRequest, PendingRequest } from './pending-request';
import { type BodyFraming, requestHead } from './request-writer';

/**
 * The connections to one origin: idle ones are reused most-recent first (the warmest socket, and
 * the others age out), new ones are opened up to `maxConnections` (0: no cap), and requests past
 * the cap wait in order. Idle connections are retired when their keep-alive window closes.
 */
export class OriginPool implements ConnectionOwner {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly queue: PendingRequest[] = [];
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private closing = false;
  tlsSession: Buffer | undefined;

  constructor(
    private readonly endpoint: Endpoint,
    /** The `host` header: the origin's host, with its port when not the default. */
    private readonly host: string,
    private readonly limits: ConnectionLimits & { readonly maxConnections: number },
  ) {}

  /** Connections open (idle and busy), for tests and metrics. */
  get size(): number {
    return this.all.size;
  }

  dispatch(options: LeanRequest, handler: UpstreamHandler): void {
    let request: PendingRequest;
    try {
      if (this.closing) throw new ClientClosedError();
      const head = requestHead(options.method, options.path, this.host, options.headers, framing(options));
      request = new PendingRequest(options, head, handler, this.dequeue);
    } catch (err) {
      // undici's way: a request refused before sending is reported to the handler, not thrown.
      handler.onError(err as Error);
      return;
    }
    request.start();
    if (!request.finished) this.assign(request);
  }

  release(connection: Connection): void {
    const next = this.closing ? undefined : this.queue.shift();
    if (this.closing) connection.destroy();
    else if (next) connection.send(next);
    else this.keepIdle(connection);
  }

  private keepIdle(connection: Connection): void {
    this.idle.push(connection);
    this.sweeper ??= setInterval(this.sweep, Math.min(1000, this.limits.keepAliveTimeout)).unref();
  }

  closed(connection: Connection): void {
    this.all.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    const next = this.queue.shift();
    if (next) this.assign(next);
  }

  /** Stops taking requests; in-flight ones finish, then their connections close. */
  close(): void {
    this.closing = true;
    this.stopSweeper();
    for (const connection of this.idle.splice(0)) connection.destroy();
    for (const request of this.queue.splice(0)) request.fail(new ClientClosedError());
  }

  /** Closes everything now: in-flight requests fail. */
  destroy(): void {
    this.close();
    for (const connection of this.all) connection.destroy();
  }

  private assign(request: PendingRequest): void {
    const idle = this.takeIdle();
    const { maxConnections } = this.limits;
    if (idle) idle.send(request);
    else if (maxConnections > 0 && this.all.size >= maxConnections) this.queue.push(request);
    else this.open(request);
  }

  private open(request: PendingRequest): void {
    const opened = new Connection(this, this.endpoint, this.limits);
    this.all.add(opened);
    opened.send(request);
  }

  private takeIdle(): Connection | undefined {
    const now = Date.now();
    for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
      if (connection.reusable(now)) return connection;
      connection.destroy();
    }
    return undefined;
  }

  private readonly dequeue = (request: PendingRequest): void => {
    const at = this.queue.indexOf(request);
    if (at !== -1) this.queue.splice(at, 1);
  };

  private readonly sweep = (): void => {
    const now = Date.now();
    for (const connection of [...this.idle]) if (!connection.reusable(now)) connection.destroy();
    if (this.idle.length === 0) this.stopSweeper();
  };

  private stopSweeper(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

function framing({ body }: LeanRequest): BodyFraming {
  if (body === null) return 'none';
  if (body instanceof Uint8Array) return { length: body.length };
  return 'chunked';
}
