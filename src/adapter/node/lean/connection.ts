import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { writeBody } from './body-writer';
import { BodyTimeoutError, ConnectTimeoutError, HeadersTimeoutError, SocketError } from './errors';
import type { Carrier, PendingRequest } from './pending-request';
import type { ResponseHead } from './response-head';
import { type ParserSink, ResponseParser } from './response-parser';

/** Where a connection goes, and how. */
export interface Endpoint {
  readonly hostname: string;
  readonly port: number;
  /** TLS options (with `servername` for SNI) for an https origin; undefined for http. */
  readonly tls: ConnectionOptions | undefined;
}

/** The connection limits of a pool (LeanOptions in transport.ts, resolved). */
export interface ConnectionLimits {
  readonly connectTimeout: number;
  readonly keepAliveTimeout: number;
  readonly keepAliveMaxTimeout: number;
  readonly maxRequestsPerSocket: number;
  readonly maxHeaderSize: number;
}

/** The pool a connection reports to. */
export interface ConnectionOwner {
  /** The response ended and the connection may carry another request. */
  release(connection: Connection): void;
  /** The socket is gone. */
  closed(connection: Connection): void;
  /** The last TLS session the origin gave, to resume instead of a full handshake. */
  tlsSession: Buffer | undefined;
}

type TimerKind = 'connect' | 'headers' | 'body';

/** Bodies up to this size go out in one buffer with the head: one write, no writev. */
const JOIN_LIMIT = 64 * 1024;

/** The head and a small whole body as one buffer, so the socket makes one plain write. */
function joined(head: string, body: Uint8Array | null): Buffer {
  const headLength = Buffer.byteLength(head, 'latin1');
  const out = Buffer.allocUnsafe(headLength + (body === null ? 0 : body.length));
  out.write(head, 0, 'latin1');
  if (body !== null) out.set(body, headLength);
  return out;
}

/** The server's `keep-alive: timeout` is cut by this margin, so the gateway never races its close. */
const KEEP_ALIVE_MARGIN = 1000;

/**
 * One socket to an upstream that carries one request at a time (no pipelining). It writes the
 * request, feeds the answer through the parser to the request's handler, and on a clean end either
 * returns to the pool or closes: `connection: close`, a close-delimited body, stray bytes after the
 * response, an exhausted request count or keep-alive window all retire it.
 */
export class Connection implements ParserSink, Carrier {
  readonly socket: Socket;
  /** When an idle connection stops being reusable (epoch ms). */
  expiresAt = 0;
  private current: PendingRequest | undefined;
  private readonly parser: ResponseParser;
  private connected = false;
  private requests = 0;
  private serverMax: number | undefined;
  private idleMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerKind: TimerKind = 'connect';
  private bodyPaused = false;

  constructor(
    private readonly owner: ConnectionOwner,
    endpoint: Endpoint,
    private readonly limits: ConnectionLimits,
  ) {
    this.idleMs = limits.keepAliveTimeout;
    this.parser = new ResponseParser(this, limits.maxHeaderSize);
    const { hostname: host, port } = endpoint;
    this.socket = endpoint.tls
      ? tlsConnect({ ...endpoint.tls, host, port, session: owner.tlsSession })
      : netConnect({ host, port, noDelay: true });
    if (endpoint.tls)
      this.socket.on('session', (session: Buffer) => {
        owner.tlsSession = session;
      });
    this.socket.setNoDelay(true);
    this.socket.once(endpoint.tls ? 'secureConnect' : 'connect', this.onConnect);
    this.socket.on('data', this.onData);
    this.socket.on('end', this.onEnd);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
    this.arm('connect', limits.connectTimeout);
  }

  /** Whether an idle connection may take a request now. */
  reusable(now: number): boolean {
    return !this.socket.destroyed && this.socket.readyState === 'open' && now < this.expiresAt;
  }

  send(request: PendingRequest): void {
    this.current = request;
    request.carrier = this;
    this.requests++;
    if (this.connected) this.write(request);
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Backpressure: no reads, and the body's silence is the client's, not the upstream's. */
  pause(): void {
    this.socket.pause();
    if (this.timerKind === 'body' && this.timer !== undefined) {
      this.disarm();
      this.bodyPaused = true;
    }
  }

  resume(): void {
    this.socket.resume();
    if (this.bodyPaused && this.current) this.arm('body', this.current.options.bodyTimeout);
    this.bodyPaused = false;
  }

  drop(request: PendingRequest): void {
    if (this.current !== request) return;
    this.detach();
    this.socket.destroy();
  }

  onHead(head: ResponseHead): void {
    const request = this.current!;
    this.serverMax = head.keepAliveMax;
    this.idleMs =
      head.keepAliveTimeout === undefined
        ? this.limits.keepAliveTimeout
        : Math.min(head.keepAliveTimeout - KEEP_ALIVE_MARGIN, this.limits.keepAliveMaxTimeout);
    if (!this.parser.complete) this.arm('body', request.options.bodyTimeout);
    else this.disarm();
    request.receivedHead(head.status, head.headers);
  }

  onBody(chunk: Uint8Array): void {
    this.timer?.refresh();
    this.current!.receivedData(chunk);
  }

  private write(request: PendingRequest): void {
    const { body, method, headersTimeout } = request.options;
    this.parser.expect(method);
    this.bodyPaused = false;
    if (body === null || body instanceof Uint8Array) {
      if (body !== null && body.length > JOIN_LIMIT) {
        this.socket.cork();
        this.socket.write(request.head, 'latin1');
        this.socket.write(body);
        this.socket.uncork();
      } else this.socket.write(joined(request.head, body));
      this.arm('headers', headersTimeout);
      return;
    }
    this.socket.write(request.head, 'latin1');
    writeBody(this.socket, body, () => this.current === request).then(
      () => {
        if (this.current === request && !this.parser.started) this.arm('headers', headersTimeout);
      },
      (err: unknown) => {
        if (this.current === request) this.fail(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private readonly onConnect = (): void => {
    this.connected = true;
    this.disarm();
    if (this.current) this.write(this.current);
  };

  private readonly onData = (chunk: Buffer): void => {
    const request = this.current;
    // An idle connection that talks is out of step with its server.
    if (!request) return void this.socket.destroy();
    try {
      this.parser.feed(chunk);
    } catch (err) {
      if (this.current === request) this.fail(err as Error);
      return;
    }
    if (this.current === request && this.parser.complete) this.finish(request);
  };

  /** The server closed its side: the end of a close-delimited body, or a cut-short response. */
  private readonly onEnd = (): void => {
    const request = this.current;
    if (!request) return void this.socket.destroy();
    try {
      this.parser.end();
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    this.finish(request);
  };

  private readonly onError = (err: Error): void => {
    if (this.current) this.fail(err);
  };

  private readonly onClose = (): void => {
    this.disarm();
    if (this.current) this.fail(new SocketError('other side closed'));
    this.owner.closed(this);
  };

  private finish(request: PendingRequest): void {
    this.detach();
    if (this.mayReuse()) {
      this.expiresAt = Date.now() + this.idleMs;
      if (request.paused) this.socket.resume();
      this.owner.release(this);
    } else this.socket.destroy();
    request.end();
  }

  private mayReuse(): boolean {
    const { parser, limits } = this;
    return (
      parser.keepAlive &&
      parser.stray === 0 &&
      this.idleMs > 0 &&
      this.serverMax !== 0 &&
      this.requests < limits.maxRequestsPerSocket &&
      !this.socket.destroyed &&
      this.socket.readyState === 'open'
    );
  }

  private fail(err: Error): void {
    const request = this.current!;
    this.detach();
    this.socket.destroy();
    request.fail(err);
  }

  private detach(): void {
    const request = this.current;
    if (request) request.carrier = undefined;
    this.current = undefined;
    this.parser.halted = true;
    this.parser.reset();
    this.disarm();
  }

  private arm(kind: TimerKind, ms: number): void {
    this.disarm();
    if (!(ms > 0)) return;
    this.timerKind = kind;
    this.timer = setTimeout(this.onTimeout, ms);
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly onTimeout = (): void => {
    this.timer = undefined;
    const kind = this.timerKind;
    if (!this.current) return void this.socket.destroy();
    if (kind === 'connect') this.fail(new ConnectTimeoutError(this.limits.connectTimeout));
    else if (kind === 'headers') this.fail(new HeadersTimeoutError());
    else this.fail(new BodyTimeoutError());
  };
}
