import type { Upstream } from '../../routing/upstream';

/** Keep-alive figures both upstream clients use (undici's defaults): idle, and a server hint's cap (ms). */
export const KEEP_ALIVE = { timeout: 30_000, maxTimeout: 600_000 } as const;

/**
 * A transport's connection pools, one per upstream origin and connection settings (upstreams that
 * share them share a pool), kept across config reloads so warm keep-alive connections survive.
 */
export class UpstreamPools<P> {
  private readonly pools = new Map<string, P>();

  constructor(
    private readonly make: (upstream: Upstream) => P,
    private readonly close: (pool: P) => void,
  ) {}

  /** The upstream's pool, made on first use. */
  for(upstream: Upstream): P {
    const id = poolId(upstream);
    let pool = this.pools.get(id);
    if (!pool) {
      pool = this.make(upstream);
      this.pools.set(id, pool);
    }
    return pool;
  }

  /** The upstream's pool if one was made. */
  find(upstream: Upstream): P | undefined {
    return this.pools.get(poolId(upstream));
  }

  /** Closes the pools whose upstreams are gone after a reload. */
  retain(upstreams: Iterable<Upstream>): void {
    const keep = new Set<string>();
    for (const u of upstreams) keep.add(poolId(u));
    for (const [id, pool] of this.pools) {
      if (!keep.has(id)) {
        this.pools.delete(id);
        this.close(pool);
      }
    }
  }

  /** Every pool, taken out (the transport is closing). */
  takeAll(): P[] {
    const pools = [...this.pools.values()];
    this.pools.clear();
    return pools;
  }
}

function poolId(upstream: Upstream): string {
  return `${upstream.origin}|${upstream.timeouts.connect}|${upstream.config.max_connections}`;
}
