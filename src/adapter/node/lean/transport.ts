import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Transport, UpstreamHandler, UpstreamRequest } from '../../../proxy/transport';
import type { Upstream } from '../../../routing/upstream';
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

/** undici's defaults where it has one (UndiciTransport sets the same keep-alive figures). */
const DEFAULTS = {
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  maxRequestsPerSocket: 10_000,
  maxHeaderSize: 16 * 1024,
};

/**
 * The lean upstream client (`server.transport: lean`): HTTP/1.1 on `net`/`tls` sockets, one pool
 * per origin and connection settings, kept across config reloads like UndiciTransport's.
 */
export class LeanTransport implements Transport {
  private readonly pools = new Map<string, OriginPool>();

  constructor(private readonly options: LeanOptions = {}) {}

  dispatch(upstream: Upstream, request: UpstreamRequest, handler: UpstreamHandler): void {
    this.poolFor(upstream).dispatch(request, handler);
  }

  /** The seam's dispatch with a body that may be a stream (sent chunked). */
  dispatchStream(upstream: Upstream, request: LeanRequest, handler: UpstreamHandler): void {
    this.poolFor(upstream).dispatch(request, handler);
  }

  /** Open connections to an upstream's origin (tests). */
  connections(upstream: Upstream): number {
    return this.pools.get(poolId(upstream))?.size ?? 0;
  }

  private poolFor(upstream: Upstream): OriginPool {
    const id = poolId(upstream);
    let pool = this.pools.get(id);
    if (!pool) {
      const url = new URL(upstream.origin);
      pool = new OriginPool(this.endpoint(url), url.host, {
        ...DEFAULTS,
        ...this.options,
        connectTimeout: upstream.timeouts.connect,
        maxConnections: upstream.config.max_connections,
      });
      this.pools.set(id, pool);
    }
    return pool;
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
    const keep = new Set<string>();
    for (const u of upstreams) keep.add(poolId(u));
    for (const [id, pool] of this.pools) {
      if (!keep.has(id)) {
        this.pools.delete(id);
        pool.close();
      }
    }
  }

  async close(): Promise<void> {
    for (const pool of this.pools.values()) pool.destroy();
    this.pools.clear();
  }
}

/** Upstreams that share origin and connection settings share one pool. */
function poolId(upstream: Upstream): string {
  return `${upstream.origin}|${upstream.timeouts.connect}|${upstream.config.max_connections}`;
}
