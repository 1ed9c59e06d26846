import { type AccessOptions, GatewayAccess } from '../../access/access';
import { ClientAdmin } from '../../access/clients/client-admin';
import { loadTokenizer } from '../../access/usage/tokenizer';
import { registerClientRoutes, registerRequestLogRoutes } from '../../admin/access-routes';
import type { Config } from '../../config/schema/index';
import type { Gateway } from '../../gateway/gateway';
import type { Logger } from '../../observe/logger';
import type { Redactor } from '../../observe/redact';
import { requestRecord } from '../../observe/request-record';
import type { UsageQuery } from '../../store/request-log/rollups';
import type { SqliteRequestLog } from '../../store/request-log/sqlite-request-log';
import { RequestLogWriter } from '../../store/request-log/writer';
import { gatewaySecret } from '../../store/secret';
import { openSqlite, type SqliteDatabase } from '../../store/sqlite';
import type { RequestLogSink } from '../../store/types';
import { type AccountingStore, sqliteAccountingStore } from './accounting-store';
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
  readonly shared?: Pick<AccessOptions, 'limiter' | 'concurrency' | 'quotaCounters' | 'localLimiter'>;
  /** Another store (PostgreSQL with `store.url`) in place of the SQLite file; closed by its owner. */
  readonly store?: AccountingStore;
  /**
   * Where the request log's batches go instead of this process's writer, given the store's own
   * sink for queries and fallback (a cluster worker's: the primary, the file's one writer). No
   * writer thread and no retention run here then; the writer does.
   */
  readonly requestLogSink?: (local: RequestLogSink) => RequestLogSink;
}

/**
 * Access control and accounting with durable state, for the Node adapter: the store (the SQLite
 * file at `store.path`, or PostgreSQL at `store.url`), the persistent token secret, API-made
 * clients, the request log writer and its retention, and the admin routes for clients, requests
 * and usage.
 */
export class Accounting {
  /** The SQLite database, when the store is the SQLite file. */
  readonly db: SqliteDatabase | undefined;
  readonly store: AccountingStore;
  readonly access: GatewayAccess;
  readonly writer: RequestLogWriter | undefined;
  readonly requestLog: RequestLogSink;
  /** The writer thread (SQLite file stores); undefined with `:memory:` or PostgreSQL. */
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
    this.ownsDb = options.db === undefined && options.store === undefined;
    const secret = gatewaySecret(options.env ?? process.env, config.store.path);
    this.db = options.store ? undefined : (options.db ?? openSqlite(config.store.path));
    this.store = options.store ?? sqliteAccountingStore(this.db!, secret, logger);
    this.access = new GatewayAccess(config, {
      now: this.now,
      clientStore: this.store.clients,
      usageSource: this.store.usageSince,
      hmacKey: secret,
      warn: (message) => logger.warn(message),
      ...options.shared,
    });
    const routed = options.requestLogSink?.(this.store.requestLog);
    this.requestLog = routed ?? this.store.requestLog;
    const log = config.request_log;
    if (log.enabled && !routed && !options.store && config.store.path !== ':memory:') {
      this.thread = new ThreadRequestLogSink(config.store.path, this.requestLog as SqliteRequestLog, (err) =>
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
      if (!routed) {
        this.runRetention();
        this.retention = setInterval(() => this.runRetention(), RETENTION_EVERY_MS);
        this.retention.unref();
      }
    }
  }

  /**
   * Opens the store and, when `usage.tokenizer` is on, loads the tokenizer before the gateway
   * listens: loading it blocks the event loop for a moment, which must not happen under traffic.
   */
  static async open(config: Config, options: AccountingOptions): Promise<Accounting> {
    const accounting = new Accounting(config, options);
    await accounting.access.ready.catch((err: unknown) => {
      // A remote store that does not answer yet: its clients load when it connects.
      if (!options.store) throw err;
      options.logger.warn(
        { err },
        'stored clients not loaded (store unreachable): only keys from the configuration are accepted until it answers',
      );
    });
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
      // The remembered field pass: the request line already redacted the same path, model, agent.
      const redact = (text: string) => this.options.redactor.redactField(text);
      gateway.requestListeners.push((ctx) => writer.enqueue(requestRecord(ctx, this.now(), redact)));
      const usage = (query: UsageQuery) => this.store.usage(query);
      registerRequestLogRoutes(gateway.admin, this.requestLog, usage, () => writer.drain());
    }
    registerClientRoutes(gateway.admin, new ClientAdmin(this.access));
  }

  /** Writes what the request log still holds, stops the writer thread, closes the database. */
  async close(): Promise<void> {
    if (this.retention) clearInterval(this.retention);
    await this.writer?.close();
    await this.thread?.close();
    if (this.ownsDb) this.db?.close();
  }

  /**
   * Deletes old rows: on the writer thread when there is one, else a chunk at a time, one
   * event-loop turn apart, so traffic is never held up.
   */
  private runRetention(): void {
    const log = this.config.request_log;
    const now = this.now();
    const failed = (err: unknown) => this.options.logger.error({ err }, 'request log retention failed');
    if (this.thread) {
      this.thread.retain(now, log.retention_days, log.rollup_retention_days).catch(failed);
      return;
    }
    const step = async (): Promise<void> => {
      if (!this.store.open) return;
      if ((await this.store.retentionStep(now, log.retention_days, log.rollup_retention_days)).more)
        setImmediate(() => void step().catch(failed));
    };
    // The SQLite step runs now (synchronously), as before; a remote store's answers come later.
    step().catch(failed);
  }
}
