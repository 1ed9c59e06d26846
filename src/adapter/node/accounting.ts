import { type AccessOptions, GatewayAccess } from '../../access/access';
import { ClientAdmin } from '../../access/clients/client-admin';
import { loadTokenizer } from '../../access/usage/tokenizer';
import { registerClientRoutes, registerRequestLogRoutes } from '../../admin/access-routes';
import type { Config } from '../../config/schema/index';
import type { Gateway } from '../../gateway/gateway';
import type { Logger } from '../../observe/logger';
import type { Redactor } from '../../observe/redact';
import { requestRecord } from '../../observe/request-record';
import { ACCESS_MIGRATIONS } from '../../store/access-migrations';
import { SqliteClientStore } from '../../store/client-store-sqlite';
import { retentionStep } from '../../store/request-log/retention';
import type { UsageQuery } from '../../store/request-log/rollups';
import { clientUsageSince, queryUsage } from '../../store/request-log/rollups-sqlite';
import { SqliteRequestLog } from '../../store/request-log/sqlite-request-log';
import { RequestLogWriter } from '../../store/request-log/writer';
import { checkSecret, gatewaySecret } from '../../store/secret';
import { migrate, openSqlite, type SqliteDatabase } from '../../store/sqlite';
import { ThreadRequestLogSink } from './request-log-worker';

const RETENTION_EVERY_MS = 3_600_000;

export interface AccountingOptions {
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly now?: () => number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A database already open at `store.path` (shared with the admin plane); closed by its owner. */
  readonly db?: SqliteDatabase;
  /** Live state shared between instances (`state.url`); the memory stores when absent. */
  readonly shared?: Pick<AccessOptions, 'limiter' | 'concurrency' | 'quotaCounters'>;
}

/**
 * Access control and accounting with durable state, for the Node adapter: the SQLite store
 * (`store.path`), the persistent token secret, API-made clients, the request log writer and
 * its retention, and the admin routes for clients, requests and usage.
 */
export class Accounting {
  readonly db: SqliteDatabase;
  readonly access: GatewayAccess;
  readonly writer: RequestLogWriter | undefined;
  readonly requestLog: SqliteRequestLog;
  /** The writer thread (file stores); undefined with `:memory:`, whose batches are written here. */
  readonly thread: ThreadRequestLogSink | undefined;
  private readonly retention: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly ownsDb: boolean;

  constructor(
    private readonly config: Config,
    private readonly options: AccountingOptions,
  ) {
    const { logger } = options;
    this.now = options.now ?? Date.now;
    this.ownsDb = options.db === undefined;
    this.db = options.db ?? openSqlite(config.store.path);
    migrate(this.db, ACCESS_MIGRATIONS);
    const secret = gatewaySecret(options.env ?? process.env, config.store.path);
    if (!checkSecret(this.db, secret)) {
      logger.error(
        'the gateway secret differs from the one this database was written with: client tokens made with the admin API will not match (restore SWITCHYARD_SECRET or secret.key)',
      );
    }
    this.access = new GatewayAccess(config, {
      now: this.now,
      clientStore: new SqliteClientStore(this.db),
      usageSource: clientUsageSince(this.db),
      hmacKey: secret,
      warn: (message) => logger.warn(message),
      ...options.shared,
    });
    this.requestLog = new SqliteRequestLog(this.db);
    const log = config.request_log;
    if (log.enabled && config.store.path !== ':memory:') {
      this.thread = new ThreadRequestLogSink(config.store.path, this.requestLog, (err) =>
        logger.error(
          { err },
          'request log: the writer thread failed; batches are now written on the main thread',
        ),
      );
    }
    if (log.enabled) {
      this.writer = new RequestLogWriter(this.thread ?? this.requestLog, {
        flushIntervalMs: log.flush_interval,
        batchSize: log.batch_size,
        queueLimit: log.queue_limit,
        onError: (err) => logger.error({ err }, 'request log: a batch could not be written and was dropped'),
        onDrop: (n) => logger.warn({ dropped: n }, 'request log: queue full, records dropped'),
      });
      this.runRetention();
      this.retention = setInterval(() => this.runRetention(), RETENTION_EVERY_MS);
      this.retention.unref();
    }
  }

  /**
   * Opens the store and, when `usage.tokenizer` is on, loads the tokenizer before the gateway
   * listens: loading it blocks the event loop for a moment, which must not happen under traffic.
   */
  static async open(config: Config, options: AccountingOptions): Promise<Accounting> {
    const accounting = new Accounting(config, options);
    await accounting.access.ready;
    if (config.usage.tokenizer) {
      await loadTokenizer().catch((err: unknown) =>
        options.logger.warn({ err }, 'tokenizer not loaded: estimates count 4 characters a token'),
      );
    }
    return accounting;
  }

  /** Registers the request listener and the admin routes on the gateway. */
  attach(gateway: Gateway): void {
    const { writer } = this;
    if (writer) {
      const redact = (text: string) => this.options.redactor.redact(text);
      gateway.requestListeners.push((ctx) => writer.enqueue(requestRecord(ctx, this.now(), redact)));
      const db = this.db;
      const usage = (query: UsageQuery) => queryUsage(db, query);
      registerRequestLogRoutes(gateway.admin, this.requestLog, usage, () => writer.drain());
    }
    registerClientRoutes(gateway.admin, new ClientAdmin(this.access));
  }

  /** Writes what the request log still holds, stops the writer thread, closes the database. */
  async close(): Promise<void> {
    if (this.retention) clearInterval(this.retention);
    await this.writer?.close();
    await this.thread?.close();
    if (this.ownsDb) this.db.close();
  }

  /**
   * Deletes old rows: on the writer thread when there is one, else a chunk at a time, one
   * event-loop turn apart, so traffic is never held up.
   */
  private runRetention(): void {
    const log = this.config.request_log;
    const now = this.now();
    if (this.thread) {
      this.thread
        .retain(now, log.retention_days, log.rollup_retention_days)
        .catch((err: unknown) => this.options.logger.error({ err }, 'request log retention failed'));
      return;
    }
    const step = (): void => {
      if (!this.db.open) return;
      try {
        if (retentionStep(this.db, now, log.retention_days, log.rollup_retention_days).more)
          setImmediate(step);
      } catch (err) {
        this.options.logger.error({ err }, 'request log retention failed');
      }
    };
    step();
  }
}
