import { Gauge, type Registry } from 'prom-client';
import type { Config } from '../../../config/schema/index';
import type { Gateway } from '../../../gateway/gateway';
import type { Logger } from '../../../observe/logger';
import { RedisCacheStore } from './cache-store';
import { SharedState } from './shared-state';

export interface SharedStateWiring {
  readonly state: SharedState;
  /** Shows the state's status in `GET /health` and the metrics. */
  attach(gateway: Gateway, metrics: Registry | undefined): void;
}

/** The shared state of `state.url`, or undefined: the memory stores stay as they are. */
export function openSharedState(
  config: Config,
  logger: Logger,
  now: () => number = Date.now,
): SharedStateWiring | undefined {
  const { url } = config.state;
  if (!url) return undefined;
  const state = new SharedState({ ...config.state, url }, logger, now);
  return {
    state,
    attach(gateway, metrics) {
      gateway.healthDetails.push(() => ({ state: state.status() }));
      if (metrics) registerStateMetrics(state, metrics);
    },
  };
}

/** The response cache shared in Redis; a fault is logged with the state's (once per outage). */
export function sharedCacheStore(state: SharedState, maxBytes: number, now: () => number): RedisCacheStore {
  return new RedisCacheStore(state.link, maxBytes, now, (err) => state.fault(err));
}

function registerStateMetrics(state: SharedState, registry: Registry): void {
  new Gauge({
    name: 'switchyard_state_up',
    help: 'Whether the shared live state (state.url) is reachable: 1 shared, 0 degraded (local limits, quotas closed)',
    registers: [registry],
    collect() {
      this.set(state.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'switchyard_state_instances',
    help: 'Gateway instances last seen sharing the live state (sizes the local share of a limit during an outage)',
    registers: [registry],
    collect() {
      this.set(state.fleetSize);
    },
  });
}
