import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyDeadlines, ClientRequest, ClientSink, FlatHeaders } from '../../http/types';
import { readBody } from './read-body';

/**
 * One node:http request and its response as the gateway's own `ClientRequest` and `ClientSink`
 * (src/http/types.ts): one small object per request, no Web streams on the hot path.
 */
export class NodeHttpExchange implements ClientRequest, ClientSink {
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  get method(): string {
    return this.req.method ?? 'GET';
  }

  get target(): string {
    return this.req.url ?? '/';
  }

  get rawHeaders(): FlatHeaders {
    return this.req.rawHeaders;
  }

  get remoteAddress(): string {
    return this.req.socket.remoteAddress ?? '';
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  readBody(limit: number, deadlines?: BodyDeadlines): Promise<Uint8Array | null> {
    return readBody(this.req, limit, deadlines);
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  writeHead(status: number, headers: FlatHeaders): void {
    this.res.writeHead(status, headers as string[]);
  }

  flushHeaders(): void {
    this.res.flushHeaders();
  }

  write(chunk: Uint8Array | string): boolean {
    return this.res.write(chunk);
  }

  onDrain(callback: () => void): void {
    this.res.once('drain', callback);
  }

  end(chunk?: Uint8Array | string): void {
    if (chunk === undefined) this.res.end();
    else this.res.end(chunk);
  }

  abort(reason?: Error): void {
    this.res.destroy(reason);
  }

  onClose(callback: () => void): () => void {
    const { res } = this;
    const listener = (): void => {
      if (!res.writableFinished) callback();
    };
    res.on('close', listener);
    return () => res.off('close', listener);
  }
}
