import packageJson from '../../../package.json';
import { registerConfigRoutes } from '../../admin/config-routes';
import { ConfigService, storeObjects } from '../../admin/config-service';
import { registerKeyRoutes } from '../../admin/key-routes';
import { registerObserveRoutes } from '../../admin/observe-routes';
import { registerOpenApiRoute } from '../../admin/openapi';
import { registerRouteRoutes } from '../../admin/route-routes';
import { registerSettingsRoutes } from '../../admin/settings-routes';
import { registerUpstreamRoutes } from '../../admin/upstream-routes';
import { ConfigError } from '../../config/errors';
import { ConfigManager, type ConfigTarget, type ReloadResult } from '../../config/manager';
import type { Env } from '../../config/parse';
import type { Config } from '../../config/schema/index';
import { type ConfigSource, inlineSource } from '../../config/source';
import type { Gateway } from '../../gateway/gateway';
import { healthReport } from '../../gateway/status';
import { attemptLogger } from '../../observe/attempt-log';
import type { Logger } from '../../observe/logger';
import { GatewayMetrics, type UpstreamState } from '../../observe/metrics';
import type { Redactor } from '../../observe/redact';
import { StatsCollector } from '../../observe/stats/collector';
import { configuredModels } from '../../observe/stats/known-models';
import type { Upstream } from '../../routing/upstream';
import { SqliteConfigRepository } from '../../store/config-repository-sqlite';
import { loadMasterKey, SecretBox } from '../../store/secret-box';
import { openSqlite, type SqliteDatabase } from '../../store/sqlite';
import type { ConfigRepository } from '../../store/types';
import type { AdminListener } from './admin-listener';
import { listenAdmin } from './admin-listener';
import { FileWatcher } from './config-watch';
import { LoopDelayMonitor } from './loop-delay';

export interface ControlPlaneOptions {
  /** The configuration the caller loaded; also the base input when no `source` is given. */
  readonly config: Config;
  /** The base configuration's source: the file (reloaded, watched) or an inline input. */
  readonly source?: ConfigSource;
  /** For `SWITCHYARD_SECRET`; defaults to process.env. */
  readonly env?: Env;
  /** An open store to share; otherwise `store.path` is opened (and closed with the plane). */
  readonly db?: SqliteDatabase;
  /** The admin-made configuration in another store (PostgreSQL with `store.url`); no SQLite is opened. */
  readonly repository?: ConfigRepository;
  readonly logger: Logger;
  /** Masks secrets in admin error messages (config problems can quote a path or value). */
  readonly redactor?: Redactor;
  /** Reload on SIGHUP (the CLI turns it on; tests emit the signal themselves). */
  readonly signals?: boolean;
  readonly debounceMs?: number;
}

/** Something that keeps connection pools only for the upstreams still configured. */
export interface PoolKeeper {
  retain?(upstreams: Iterable<Upstream>): void;
}

/**
 * Everything around the data plane: the configuration (file + admin API store, reloads), the admin
 * API's routes, statistics and metrics, and the optional admin listener.
 */
export class ControlPlane {
  readonly store: ConfigRepository;
  readonly manager: ConfigManager;
  private readonly ownsDb: boolean;
  private readonly db: SqliteDatabase | undefined;
  private gateway: Gateway | undefined;
  private watcher: FileWatcher | undefined;
  private adminListener: AdminListener | undefined;
  private target: ConfigTarget | undefined;
  stats: StatsCollector | undefined;
  metrics: GatewayMetrics | undefined;
  private loopDelay: LoopDelayMonitor | undefined;

  constructor(private readonly options: ControlPlaneOptions) {
    const env = options.env ?? process.env;
    this.ownsDb = options.db === undefined && options.repository === undefined;
    if (options.repository) {
      this.store = options.repository;
    } else {
      this.db = options.db ?? openSqlite(options.config.store.path);
      const master = loadMasterKey(env, options.config.store.path);
      this.store = new SqliteConfigRepository(this.db, new SecretBox(master.key));
      options.logger.debug({ secret_key: master.origin }, 'store secrets sealed with AES-256-GCM');
    }
    const source = options.source ?? inlineSource(options.config, 'configuration given at start', env);
    this.manager = ConfigManager.open(source, () => storeObjects(this.store), options.logger);
  }

  /** The configuration to start the gateway with: the file (or inline input) merged with the store. */
  get config(): Config {
    return this.manager.config;
  }

  get adminUrl(): string | undefined {
    return this.adminListener?.url;
  }

  /** Registers the admin routes and the request listeners on the gateway; starts watching. */
  attach(gateway: Gateway, pools: PoolKeeper): void {
    const { logger } = this.options;
    this.gateway = gateway;
    logger.level = this.manager.config.server.log_level;
    const stats = new StatsCollector(gateway.proxyDeps.now);
    stats.setKnownModels(configuredModels(gateway.runtime.config));
    gateway.reloadListeners.push((runtime) => stats.setKnownModels(configuredModels(runtime.config)));
    this.stats = stats;
    this.loopDelay = new LoopDelayMonitor();
    this.metrics = new GatewayMetrics({
      ...stateView(gateway, this.store),
      eventLoopDelay: this.loopDelay.read,
    });
    gateway.requestListeners.push(this.stats.record, this.metrics.record, attemptLogger(logger));
    const metrics = this.metrics;
    this.target = {
      apply(config) {
        gateway.applyConfig(config);
        logger.level = config.server.log_level;
        pools.retain?.(gateway.runtime.upstreams.values());
        metrics.reloads.inc({ result: 'applied' });
        metrics.lastReload.setToCurrentTime();
      },
    };
    this.manager.onRejected.push(() => metrics.reloads.inc({ result: 'refused' }));
    this.registerRoutes(gateway);
    this.startWatching();
  }

  /** Starts the admin listener when `admin.port` is set: `/admin` and `/metrics` move there. */
  async listen(): Promise<void> {
    const { admin } = this.manager.config;
    if (admin.port === undefined || !this.gateway) return;
    this.gateway.admin.servesPublic = false;
    this.adminListener = await listenAdmin(this.gateway.admin, admin.host, admin.port, this.options.logger);
  }

  /** Reads the configuration source again (SIGHUP, file change, `POST /admin/config/reload`). */
  reload(reason: string): ReloadResult {
    if (!this.target) return { applied: false, problems: ['the gateway is not started'] };
    const result = this.manager.reload(reason, this.target);
    if (result.applied) this.watchFiles();
    return result;
  }

  /**
   * Applies the stored configuration again, with the file as it was last read: another instance
   * changed it (PostgreSQL store). A combination the file refuses is logged and not applied.
   */
  applyStored(reason: string): ReloadResult {
    if (!this.target) return { applied: false, problems: ['the gateway is not started'] };
    try {
      this.manager.commit(this.manager.preview(storeObjects(this.store)), reason, this.target);
      return { applied: true, problems: [] };
    } catch (err) {
      const problems = err instanceof ConfigError ? err.problems : [String(err)];
      this.options.logger.error({ reason, problems }, 'stored configuration not applied');
      return { applied: false, problems };
    }
  }

  async close(): Promise<void> {
    this.watcher?.close();
    this.loopDelay?.stop();
    process.off('SIGHUP', this.onSighup);
    await this.adminListener?.close();
    if (this.ownsDb) this.db?.close();
  }

  private service(): ConfigService {
    return new ConfigService(this.store, this.manager, this.target ?? noTarget, this.options.logger);
  }

  private registerRoutes(gateway: Gateway): void {
    const router = gateway.admin;
    const service = this.service();
    registerOpenApiRoute(router, packageJson.version);
    registerUpstreamRoutes(router, service);
    registerKeyRoutes(router, service);
    registerRouteRoutes(router, service);
    registerSettingsRoutes(router, service);
    registerConfigRoutes(router, service, (reason) => this.reload(reason));
    registerObserveRoutes(router, this.stats!, this.metrics!);
    const { logger } = this.options;
    const { redactor } = this.options;
    if (redactor) router.redactMessage = (message) => redactor.redact(message);
    router.audit = (entry) => {
      const level = entry.method === 'GET' ? 'debug' : 'info';
      logger[level]({ admin: entry }, 'admin request');
    };
  }

  private startWatching(): void {
    const source = this.manager.configSource;
    if (this.options.signals) process.on('SIGHUP', this.onSighup);
    if (!source.path || !this.manager.config.admin.watch) return;
    this.watcher = new FileWatcher(
      (file) => this.reload(`file changed: ${file}`),
      this.options.logger,
      this.options.debounceMs,
    );
    this.watchFiles();
  }

  private watchFiles(): void {
    this.watcher?.watch(this.manager.configSource.watchedFiles(this.manager.baseInput));
  }

  private readonly onSighup = (): void => {
    this.reload('SIGHUP');
  };
}

const noTarget: ConfigTarget = {
  apply() {
    throw new Error('the admin plane is not attached to a gateway');
  },
};

function stateView(gateway: Gateway, store: ConfigRepository) {
  return {
    inFlight: () => gateway.inFlight,
    edgeEvents: () => gateway.edge.entries(),
    *dependencies(): Generator<[string, boolean]> {
      for (const [name, status] of gateway.dependencies) yield [name, status().up];
    },
    *upstreams(): Generator<UpstreamState> {
      const report = healthReport(gateway.runtime, gateway.health, gateway.proxyDeps.now());
      for (const upstream of report.upstreams) {
        const stored = store.upstream(upstream.name);
        const disabled = stored ? stored.keys.length - stored.keys.filter((k) => k.enabled).length : 0;
        yield {
          name: upstream.name,
          usable: upstream.usable,
          keys: {
            usable: upstream.keys.usable,
            unusable: upstream.keys.total - upstream.keys.usable,
            disabled,
          },
        };
      }
    },
  };
}
