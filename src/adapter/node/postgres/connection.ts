import pg from 'pg';
import type { Logger } from '../../../observe/logger';
import { type PgMigration, runMigrations } from './migrate';
import { quoteIdent } from './quote-ident';

/** int8 (BIGINT, COUNT) and numeric (SUM of integers) come back as numbers, not strings. */
const NUMERIC_OIDS = new Set([20, 1700]);
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (NUMERIC_OIDS.has(oid)) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PgConnectionOptions {
  readonly url: string;
  /** A schema to work in (`search_path`), created when missing; tests use one per run. */
  readonly schema?: string;
  readonly logger?: Logger;
  /** Connections in the pool (default 10). */
  readonly max?: number;
  /** First and longest wait between reconnection attempts (default 250 ms and 5 s). */
  readonly backoffMs?: readonly [number, number];
  /** Masks secrets (the URL's password) in what is logged. */
  readonly redact?: (text: string) => string;
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * The PostgreSQL store's connection: a pool, the schema migrations (run once per connection
 * under an advisory lock), and the connection state. The store is `up` once it answered and
 * its schema is current; a failure that looks like a lost connection makes it `down` and starts
 * reconnecting with backoff (doubling up to the cap). Listeners of `onUp` run after every
 * (re)connection: the drivers reload or flush then.
 */
export class PgConnection {
  readonly pool: pg.Pool;
  private state: 'up' | 'down' = 'down';
  private retry: NodeJS.Timeout | undefined;
  private delay: number;
  private closed = false;
  private connecting: Promise<boolean> | undefined;
  readonly upListeners: (() => Promise<void> | void)[] = [];
  readonly downListeners: ((err: unknown) => void)[] = [];
  readonly closeListeners: (() => void)[] = [];
  /** Why the store is down, for `/health` (redacted). */
  lastError: string | undefined = 'not connected yet';

  constructor(
    private readonly options: PgConnectionOptions,
    private readonly migrations: readonly PgMigration[],
  ) {
    this.delay = options.backoffMs?.[0] ?? 250;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      types,
      connectionTimeoutMillis: 5_000,
      ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    });
    // An idle connection the server dropped: the pool discards it; the next query reconnects.
    this.pool.on('error', (err) => this.lost(err));
  }

  get up(): boolean {
    return this.state === 'up';
  }

  /** Connects and migrates; false (and reconnecting in the background) when the server is not there. */
  connect(): Promise<boolean> {
    this.connecting ??= this.attempt().then(
      (up) => {
        this.connecting = undefined;
        if (!up) this.schedule();
        return up;
      },
      (err: unknown) => {
        this.connecting = undefined;
        throw err;
      },
    );
    return this.connecting;
  }

  /** Runs `fn` with a pooled connection; a lost connection marks the store down before rethrowing. */
  async query<T extends pg.QueryResultRow>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<pg.QueryResult<T>> {
    try {
      return await this.pool.query<T>(sql, params as unknown[]);
    } catch (err) {
      if (isConnectionError(err)) this.lost(err);
      throw err;
    }
  }

  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      this.lost(err);
      throw err;
    }
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      const broken = isConnectionError(err);
      client.release(broken ? (err as Error) : undefined);
      if (broken) this.lost(err);
      throw err;
    }
  }

  /** Marks the store down (once) and schedules a reconnection. */
  lost(err: unknown): void {
    this.lastError = this.describe(err);
    if (this.state === 'up') {
      this.state = 'down';
      this.options.logger?.warn({ store: this.lastError }, 'store: PostgreSQL unreachable, reconnecting');
      for (const listener of this.downListeners) listener(err);
    }
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const listener of this.closeListeners) listener();
    if (this.retry) clearTimeout(this.retry);
    await this.connecting?.catch(() => false);
    await this.pool.end().catch(() => {});
  }

  private async attempt(): Promise<boolean> {
    if (this.closed) return false;
    try {
      await runMigrations(this.pool, this.options.schema, this.migrations);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.lastError = this.describe(err);
      this.options.logger?.warn({ store: this.lastError }, 'store: PostgreSQL not reachable, retrying');
      return false;
    }
    this.state = 'up';
    this.lastError = undefined;
    this.delay = this.options.backoffMs?.[0] ?? 250;
    for (const listener of this.upListeners) {
      try {
        await listener();
      } catch (err) {
        this.options.logger?.error({ err }, 'store: reloading after (re)connection failed');
      }
    }
    return true;
  }

  private schedule(): void {
    if (this.closed || this.retry || this.connecting) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.options.backoffMs?.[1] ?? 5_000);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect().catch((err: unknown) =>
        this.options.logger?.error({ err }, 'store: reconnection failed'),
      );
    }, wait);
    this.retry.unref();
  }

  private describe(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    return this.options.redact ? this.options.redact(text) : text;
  }
}

/** Errors that mean the server is not there (refused, reset, timed out, shutting down), not a bad query. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(?:ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH)/.test(code)) return true;
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    err.message,
  );
}
