import type { Gateway } from '../gateway/gateway';
import type { Redactor } from '../observe/redact';
import type { ConfigSnapshot } from '../routing/config-snapshot';
import { ActiveHealthChecks } from './active-checks';
import type { Clock } from './clock';
import { KeepAlivePings } from './keepalive';
import { registerMonitorRoutes } from './monitor-routes';
import type { ProbeSender } from './probe';

export interface UpstreamMonitors {
  readonly checks: ActiveHealthChecks;
  readonly keepalive: KeepAlivePings;
  stop(): void;
}

export interface MonitorOptions {
  readonly clock: Clock;
  readonly send: ProbeSender;
  readonly redactor: Redactor;
}

/**
 * Starts active health checks and keep-alive pings for the gateway's upstreams, keeps them in
 * step with configuration reloads, and registers their admin endpoints.
 */
export function startUpstreamMonitors(gateway: Gateway, options: MonitorOptions): UpstreamMonitors {
  const deps = {
    clock: options.clock,
    send: options.send,
    health: gateway.health,
    stats: gateway.upstreamStats,
    logger: gateway.logger,
  };
  const checks = new ActiveHealthChecks(deps);
  const keepalive = new KeepAlivePings(deps);
  const sync = (runtime: ConfigSnapshot): void => {
    gateway.upstreamStats.retain(runtime.upstreams.keys());
    checks.sync(runtime.upstreams.values());
    keepalive.sync(runtime.upstreams.values());
  };
  sync(gateway.runtime);
  gateway.reloadListeners.push(sync);
  registerMonitorRoutes(gateway, { checks, keepalive, redactor: options.redactor });
  return {
    checks,
    keepalive,
    stop() {
      const index = gateway.reloadListeners.indexOf(sync);
      if (index >= 0) gateway.reloadListeners.splice(index, 1);
      checks.stop();
      keepalive.stop();
    },
  };
}
