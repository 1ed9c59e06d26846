import { attachCache } from '../../cache/attach';
import type { Config } from '../../config/schema/index';
import { useHashing } from '../../core/crypto';
import { Gateway } from '../../gateway/gateway';
import { registerHealthRoutes } from '../../health/admin-routes';
import { type Clock, systemClock } from '../../health/clock';
import { startUpstreamMonitors, type UpstreamMonitors } from '../../health/monitors';
import { HealthRegistry } from '../../health/registry';
import type { HealthTracker } from '../../health/tracker';
import { KeyValidator } from '../../health/validator';
import type { Logger } from '../../observe/logger';
import { Redactor } from '../../observe/redact';
import type { ImageNetwork } from '../../providers/translate/image-fetch';
import type { CursorStore } from '../../state/cursor-store';
import type { HealthSync } from '../../state/health-sync';
import type { JobLock } from '../../state/job-lock';
import { openSqlite } from '../../store/sqlite';
import { Accounting, type AccountingOptions } from './accounting';
import { decodeRequestBody } from './compression';
import { nodeConsoleAssets } from './console-assets';
import { ControlPlane, type ControlPlaneOptions } from './control-plane';
import { nodeHashing } from './hashing';
import { nodeImageNetwork } from './image-network';
import { createLogger } from './logger';
import { pgAccountingStore } from './postgres/accounting-store';
import { attachPgStore, openConfiguredPgStore } from './postgres/attach';
import { createProbeSender } from './probe-sender';
import { type FleetStatsTarget, shareStats } from './redis/fleet-stats';
import { openSharedState, sharedCacheStore } from './redis/wiring';
import { type ListeningServer, listen } from './server';
import { createTransport, transportName } from './transport-choice';

export interface StartOptions {
  readonly config: Config;
  readonly logger?: Logger;
  /** The redactor the given logger writes through; the gateway registers every secret with it. */
  readonly redactor?: Redactor;
  /** Replaces the health registry on the data plane (tests that isolate selection). */
  readonly health?: HealthTracker;
  readonly random?: () => number;
  /** Wall clock of health state, limits and quotas; tests pass a fake one. */
  readonly now?: () => number;
  /** Schedules active health checks, keep-alive pings and key validation (tests use fake timers). */
  readonly clock?: Clock;
  /** Overrides `server.port` (tests pass 0). */
  readonly port?: number;
  /** The admin plane: config source (file, reloads), SIGHUP (see ControlPlaneOptions). */
  readonly control?: Omit<ControlPlaneOptions, 'config' | 'logger' | 'redactor'>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Fetches image URLs for translated upstreams (tests relax its address rule); Node's by default. */
  readonly imageNetwork?: ImageNetwork;
  /**
   * Live state held elsewhere than this process and Redis (a cluster worker's: the primary's),
   * used when `state.url` is not set; closed with the gateway.
   */
  readonly liveState?: LiveState;
  /** Sends the request log's batches elsewhere (a cluster worker's: to the primary, the one writer). */
  readonly requestLogSink?: AccountingOptions['requestLogSink'];
}

/** The live-state stores a gateway can run on in place of the memory ones. */
export type LiveState = NonNullable<AccountingOptions['shared']> & {
  readonly healthSync: HealthSync;
  /** Rotation cursors of the fleet; none: each route rotates in this process. */
  readonly cursors?: CursorStore;
  /** Once-per-fleet jobs (health checks, keep-alive pings); none: this process runs them all. */
  readonly jobs?: JobLock;
  /** Where statistics are summed for `?scope=fleet`; none: the scope is refused. */
  readonly fleetStats?: FleetStatsTarget;
  close(): Promise<void>;
};

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly listener: ListeningServer;
  readonly url: string;
  readonly logger: Logger;
  readonly registry: HealthRegistry;
  readonly validator: KeyValidator;
  readonly monitors: UpstreamMonitors;
  /** Configuration (file + admin API), statistics, metrics and the admin listener. */
  readonly control: ControlPlane;
  /** Client tokens, limits, usage and the request log. */
  readonly accounting: Accounting;
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Assembles the gateway with the Node adapters and starts listening: one store shared by the
 * admin plane (stored config) and accounting (clients, request log): the SQLite file at
 * `store.path`, or PostgreSQL when `store.url` is set.
 */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  useHashing(nodeHashing);
  const redactor = options.redactor ?? new Redactor();
  const given = options.config;
  const logger =
    options.logger ??
    createLogger({ level: given.server.log_level, format: given.server.log_format, redactor });
  const now = options.now ?? Date.now;
  const env = options.env ?? process.env;
  const transportKind = transportName(given, env);
  const pgStore = given.store.url
    ? await openConfiguredPgStore(given, { env, logger, redactor, now })
    : undefined;
  const db = pgStore ? undefined : (options.control?.db ?? openSqlite(given.store.path));
  const control = new ControlPlane({
    config: given,
    logger,
    redactor,
    env: options.env,
    ...options.control,
    db,
    repository: pgStore?.config,
  });
  const config = control.config;
  const shared = openSharedState(config, logger, now);
  const live = shared ? shared.state : options.liveState;
  const accounting = await Accounting.open(config, {
    logger,
    redactor,
    now,
    env: options.env,
    db,
    shared: live,
    store: pgStore ? pgAccountingStore(pgStore) : undefined,
    requestLogSink: options.requestLogSink,
  });
  const transport = createTransport(transportKind);
  const registry = new HealthRegistry(logger, live?.healthSync);
  const gateway = new Gateway({
    config,
    logger,
    redactor,
    transport,
    health: options.health ?? registry,
    random: options.random,
    now,
    access: accounting.access,
    decodeBody: decodeRequestBody,
    imageNetwork: options.imageNetwork ?? nodeImageNetwork(),
  });
  accounting.attach(gateway);
  if (pgStore) attachPgStore(pgStore, gateway, control, accounting);
  gateway.cursors = live?.cursors;
  gateway.admin.consoleAssets = nodeConsoleAssets;
  control.attach(gateway, transport);
  const fleetStats = live?.fleetStats;
  const stopSharingStats = fleetStats && control.stats ? shareStats(control.stats, fleetStats) : undefined;
  shared?.attach(gateway, control.metrics?.registry);
  attachCache(gateway, {
    now,
    registry: control.metrics?.registry,
    store: shared ? sharedCacheStore(shared.state, config.cache.max_size, now) : undefined,
  });
  const clock = options.clock ?? systemClock;
  const probes = createProbeSender();
  const validator = new KeyValidator(registry, probes.send, clock, () => gateway.runtime, now, logger);
  registerHealthRoutes(gateway.admin, { registry, validator, runtime: () => gateway.runtime, now, redactor });
  const closeStores = async () => {
    await stopSharingStats?.();
    await accounting.close();
    await control.close();
    if (db?.open) db.close();
    await live?.close();
    await pgStore?.close();
  };
  const listener = await listen(gateway, config.server.host, options.port ?? config.server.port).catch(
    async (err: unknown) => {
      await closeStores();
      throw err;
    },
  );
  await control.listen();
  validator.start();
  const monitors = startUpstreamMonitors(gateway, {
    clock,
    send: probes.send,
    redactor,
    locks: live?.jobs,
  });
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  return {
    gateway,
    listener,
    logger,
    registry,
    validator,
    monitors,
    control,
    accounting,
    url: `http://${host}:${listener.port}`,
    async stop(timeoutMs = config.server.shutdown_timeout) {
      validator.stop();
      monitors.stop();
      await listener.drain(timeoutMs);
      await closeStores();
      await Promise.all([transport.close(), probes.close()]);
    },
  };
}
