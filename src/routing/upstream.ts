import { resolveHealthPolicy } from '../config/schema/health';
import type { HealthPolicy, UpstreamConfig, UpstreamTimeouts } from '../config/schema/index';
import { upstreamFormat, type WireFormat } from '../config/schema/upstream';
import { providerFor } from '../providers/catalog';
import type { Provider } from '../providers/types';
import { KeyPool } from './key-pool';

/** An upstream as the data plane sees it: parsed once from config, shared by every request. */
export interface Upstream {
  readonly name: string;
  readonly config: UpstreamConfig;
  /** `scheme://host:port`, the connection pool's identity. */
  readonly origin: string;
  /** The URL's path prefix without a trailing slash ('' for none); the request path is appended. */
  readonly basePath: string;
  readonly provider: Provider;
  /** The wire format the upstream speaks (`format`, or what `provider` implies). */
  readonly format: WireFormat;
  readonly keys: KeyPool;
  readonly weight: number;
  readonly priority: number;
  readonly timeouts: UpstreamTimeouts;
  /** The health policy: the top-level `health` with this upstream's overrides. */
  readonly health: HealthPolicy;
  /** Requests in flight right now (least-connections reads it). */
  inFlight: number;
}

export function createUpstream(
  config: UpstreamConfig,
  health: HealthPolicy,
  random: () => number,
  previous?: Upstream,
): Upstream {
  const url = new URL(config.url);
  return {
    name: config.name,
    config,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    provider: providerFor(config.provider, upstreamFormat(config)),
    format: upstreamFormat(config),
    keys: new KeyPool(config.keys, config.key_rotation, config.key_start_index, random, previous?.keys),
    weight: config.weight,
    priority: config.priority,
    timeouts: config.timeouts,
    health: resolveHealthPolicy(health, config.health),
    inFlight: 0,
  };
}
