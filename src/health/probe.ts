import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Transport } from '../proxy/transport';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';

export interface ProbeRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface ProbeResult {
  /** 0 when no response arrived. */
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The start of the body (up to 4 KiB), for classification and the operator. */
  readonly body: string;
  readonly durationMs: number;
  readonly ttfbMs: number | undefined;
  readonly error?: string;
}

const MAX_BODY = 4096;

/**
 * One request of the gateway's own (key validation, health checks, keep-alive pings) through
 * the same transport and connection pools as client traffic, with the key injected the way the
 * provider expects. Never rejects: failures come back as `error` with status 0.
 */
export function sendProbe(
  transport: Transport,
  upstream: Upstream,
  key: UpstreamKey | undefined,
  request: ProbeRequest,
): Promise<ProbeResult> {
  const headers: Record<string, string> = {
    ...upstream.provider.defaultHeaders,
    ...upstream.config.headers,
    ...request.headers,
  };
  if (key && upstream.provider.authHeader)
    headers[upstream.provider.authHeader] = upstream.provider.authValue(key.secret);
  if (request.body !== undefined && !('content-type' in headers))
    headers['content-type'] = 'application/json';
  return new Promise((resolve) => {
    const handler = new ProbeHandler(resolve);
    transport.dispatch(
      upstream,
      {
        path: upstream.basePath + request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers,
        body: request.body ?? null,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      },
      handler,
    );
  });
}

class ProbeHandler implements Dispatcher.DispatchHandler {
  private readonly startedAt = performance.now();
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private ttfb: number | undefined;
  private body = '';

  constructor(private readonly resolve: (result: ProbeResult) => void) {}

  onRequestStart(): void {}

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    if (status < 200) return;
    this.status = status;
    this.headers = headers;
    this.ttfb = performance.now() - this.startedAt;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.body.length < MAX_BODY) this.body += chunk.toString('utf8', 0, Math.min(chunk.length, MAX_BODY));
  }

  onResponseEnd(): void {
    this.finish();
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error & { code?: string }): void {
    this.finish(err.code ? `${err.code}: ${err.message}` : err.message);
  }

  private finish(error?: string): void {
    this.resolve({
      status: error ? 0 : this.status,
      headers: this.headers,
      body: this.body.slice(0, MAX_BODY),
      durationMs: performance.now() - this.startedAt,
      ttfbMs: this.ttfb,
      error,
    });
  }
}
