import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Transport, UpstreamHandler, UpstreamRequest } from '../../../proxy/transport';
import type { Upstream } from '../../../routing/upstream';
import { KEEP_ALIVE, UpstreamPools } from '../upstream-pools';
import type { Endpoint } from './connection';
import type { LeanRequest } from './pending-request';
import { OriginPool } from './pool';

export interface LeanOptions {
  /** Extra TLS options for every https origin (a private CA in tests); certificates are always checked. */
  readonly tls?: Omit<ConnectionOptions, 'rejectUnauthorized' | 'host' | 'port' | 'servername'>;
  /** How long an idle connection is kept when the server gives no `keep-alive: timeout` (ms). */
  readonly keepAliveTimeout?: number;
  /** The longest a server's `keep-alive: timeout` may keep an idle connection (ms). */
  readonly keepAliveMaxTimeout?: number;
  /** Requests per connection before it is retired. */
  readonly maxRequestsPerSocket?: number;
  /** The largest response head (and trailer section), in bytes. */
  readonly maxHeaderSize?: number;
}

/** undici's defaults where it has one (the keep-alive figures are UndiciTransport's too). */
const DEFAULTS = {
  keepAliveTimeout: KEEP_ALIVE.timeout,
  keepAliveMaxTimeout: KEEP_ALIVE.maxTimeout,
  maxRequestsPerSocket: 10_000,
  maxHeaderSize: 16 * 1024,
};

/**
 * The lean upstream client (`server.transport: lean`): HTTP/1.1 on `net`/`tls` sockets, one pool
 * per origin and connection settings, kept across config reloads like UndiciTransport's.
 */
export class LeanTransport implements Transport {
  private readonly pools = new UpstreamPools<OriginPool>(
    (upstream) => this.openPool(upstream),
    (pool) => pool.close(),
  );

  constructor(private readonly options: LeanOptions = {}) {}

  dispatch(upstream: Upstream, request: UpstreamRequest, handler: UpstreamHandler): void {
    this.pools.for(upstream).dispatch(request, handler);
  }

  /** The seam's dispatch with a body that may be a stream (sent chunked). */
  dispatchStream(upstream: Upstream, request: LeanRequest, handler: UpstreamHandler): void {
    this.pools.for(upstream).dispatch(request, handler);
  }

  /** Open connections to an upstream's origin (tests). */
  connections(upstream: Upstream): number {
    return this.pools.find(upstream)?.size ?? 0;
  }

  private openPool(upstream: Upstream): OriginPool {
    const url = new URL(upstream.origin);
    return new OriginPool(this.endpoint(url), url.host, {
      ...DEFAULTS,
      ...this.options,
      connectTimeout: upstream.timeouts.connect,
      maxConnections: upstream.config.max_connections,
    });
  }

  private endpoint(url: URL): Endpoint {
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const https = url.protocol === 'https:';
    const port = url.port ? Number(url.port) : https ? 443 : 80;
    const tls: ConnectionOptions | undefined = https
      ? {
          ...this.options.tls,
          servername: isIP(hostname) ? undefined : hostname,
          ALPNProtocols: ['http/1.1'],
          rejectUnauthorized: true,
        }
      : undefined;
    return { hostname, port, tls };
  }

  /** Drops pools whose upstreams are gone after a reload. */
  retain(upstreams: Iterable<Upstream>): void {
    this.pools.retain(upstreams);
  }

  async close(): Promise<void> {
    for (const pool of this.pools.takeAll()) pool.destroy();
  }
}
