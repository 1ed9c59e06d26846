import { type Dispatcher, Pool } from 'undici';
import type { Transport, UpstreamHandler, UpstreamRequest } from '../../proxy/transport';
import type { Upstream } from '../../routing/upstream';
import { KEEP_ALIVE, UpstreamPools } from './upstream-pools';

/**
 * One undici Pool per upstream origin and connection settings, kept across config reloads so
 * warm keep-alive connections survive. Pools are uncapped unless `max_connections` says
 * otherwise: a cap silently queues long-lived streams behind each other.
 */
export class UndiciTransport implements Transport {
  private readonly pools = new UpstreamPools<Pool>(openPool, (pool) => void pool.close());

  dispatch(upstream: Upstream, request: UpstreamRequest, handler: UpstreamHandler): void {
    const options: Dispatcher.DispatchOptions = {
      path: request.path,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers as string[],
      body: request.body,
      headersTimeout: request.headersTimeout,
      bodyTimeout: request.bodyTimeout,
    };
    this.pools.for(upstream).dispatch(options, new UndiciHandler(handler));
  }

  /** Drops pools whose upstreams are gone after a reload. */
  retain(upstreams: Iterable<Upstream>): void {
    this.pools.retain(upstreams);
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.takeAll().map((pool) => pool.destroy()));
  }
}

function openPool(upstream: Upstream): Pool {
  return new Pool(upstream.origin, {
    connections: upstream.config.max_connections > 0 ? upstream.config.max_connections : null,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE.timeout,
    keepAliveMaxTimeout: KEEP_ALIVE.maxTimeout,
    connect: { timeout: upstream.timeouts.connect },
  });
}

/** undici's handler interface over the gateway's own; informational (1xx) heads are skipped. */
class UndiciHandler implements Dispatcher.DispatchHandler {
  constructor(private readonly handler: UpstreamHandler) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.handler.onStart(controller);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (status >= 200) this.handler.onHead(status, headers);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.handler.onData(chunk);
  }

  onResponseEnd(): void {
    this.handler.onEnd();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.handler.onError(err);
  }
}
