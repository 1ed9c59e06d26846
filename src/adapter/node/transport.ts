import { type Dispatcher, Pool } from 'undici';
import type { Transport, UpstreamHandler, UpstreamRequest } from '../../proxy/transport';
import type { Upstream } from '../../routing/upstream';

/**
 * One undici Pool per upstream origin and connection settings, kept across config reloads so
 * warm keep-alive connections survive. Pools are uncapped unless `max_connections` says
 * otherwise: a cap silently queues long-lived streams behind each other.
 */
export class UndiciTransport implements Transport {
  private readonly pools = new Map<string, Pool>();

  dispatch(upstream: Upstream, request: UpstreamRequest, handler: UpstreamHandler): void {
    const options: Dispatcher.DispatchOptions = {
      path: request.path,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers as string[],
      body: request.body,
      headersTimeout: request.headersTimeout,
      bodyTimeout: request.bodyTimeout,
    };
    this.poolFor(upstream).dispatch(options, new UndiciHandler(handler));
  }

  private poolFor(upstream: Upstream): Pool {
    const id = poolId(upstream);
    let pool = this.pools.get(id);
    if (!pool) {
      pool = new Pool(upstream.origin, {
        connections: upstream.config.max_connections > 0 ? upstream.config.max_connections : null,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connect: { timeout: upstream.timeouts.connect },
      });
      this.pools.set(id, pool);
    }
    return pool;
  }

  /** Drops pools whose upstreams are gone after a reload. */
  retain(upstreams: Iterable<Upstream>): void {
    const keep = new Set<string>();
    for (const u of upstreams) keep.add(poolId(u));
    for (const [id, pool] of this.pools) {
      if (!keep.has(id)) {
        this.pools.delete(id);
        void pool.close();
      }
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
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

/** Upstreams that share origin and connection settings share one pool. */
function poolId(upstream: Upstream): string {
  return `${upstream.origin}|${upstream.timeouts.connect}|${upstream.config.max_connections}`;
}
