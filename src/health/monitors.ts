import type { Logger } from '../observe/logger';
import type { Redactor } from '../observe/redact';
import type { ConfigSnapshot } from '../routing/config-snapshot';
import type { JobLock } from '../state/job-lock';
import { ActiveHealthChecks } from './active-checks';
import type { Clock } from './clock';
import { KeepAlivePings } from './keepalive';
import { type RoutesGateway, registerMonitorRoutes } from './monitor-routes';
import type { ProbeSender } from './probe';
import type { HealthTracker } from './tracker';

/** What the monitors need of the gateway whose upstreams they watch (the assembly passes itself). */
export interface MonitoredGateway extends RoutesGateway {
  readonly health: HealthTracker;
  readonly logger: Logger;
  readonly reloadListeners: ((snapshot: ConfigSnapshot) => void)[];
}

export interface UpstreamMonitors {
  readonly checks: ActiveHealthChecks;
  readonly keepalive: KeepAlivePings;
  stop(): void;
}

export interface MonitorOptions {
  readonly clock: Clock;
  readonly send: ProbeSender;
  readonly redactor: Redactor;
  /** Once-per-fleet runs (`state.url`); absent: this instance runs every check and ping. */
  readonly locks?: JobLock;
}

/**
 * Starts active health checks and keep-alive pings for the gateway's upstreams, keeps them in
 * step with configuration reloads, and registers their admin endpoints.
 */
export function startUpstreamMonitors(gateway: MonitoredGateway, options: MonitorOptions): UpstreamMonitors {
  const deps = {
    clock: options.clock,
    send: options.send,
    health: gateway.health,
    stats: gateway.upstreamStats,
    logger: gateway.logger,
    locks: options.locks,
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
      void options.locks?.releaseAll();
    },
  };
}
