import type { Config } from '../../../config/schema/index';
import type { Logger } from '../../../observe/logger';
import type { RequestRecord } from '../../../observe/request-record';
import { SqliteConfigRepository } from '../../../store/config-repository-sqlite';
import { SqliteRequestLog } from '../../../store/request-log/sqlite-request-log';
import { gatewaySecret } from '../../../store/secret';
import { loadMasterKey, SecretBox } from '../../../store/secret-box';
import { openSqlite } from '../../../store/sqlite';
import { sqliteAccountingStore } from '../accounting-store';
import { ThreadRequestLogSink } from '../request-log-worker';

const RETENTION_EVERY_MS = 3_600_000;

/** The primary's part of the SQLite store: its migrations and secrets, and the request log's one writer. */
export interface PrimaryStore {
  append(records: readonly RequestRecord[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Prepares the SQLite file before any worker opens it (migrations, the gateway secret and the
 * master key made once, not raced by N workers) and owns the request log's writer: the writer
 * thread every worker's batches go to, and retention. With `store.url` (PostgreSQL) there is
 * nothing to prepare: each worker writes to PostgreSQL as an instance of a fleet would.
 */
export function openPrimaryStore(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): PrimaryStore {
  if (config.store.url) return { append: refuse, close: async () => {} };
  const { path } = config.store;
  const db = openSqlite(path);
  sqliteAccountingStore(db, gatewaySecret(env, path), logger);
  new SqliteConfigRepository(db, new SecretBox(loadMasterKey(env, path).key));
  const log = config.request_log;
  if (!log.enabled) return { append: refuse, close: async () => void db.close() };
  const thread = new ThreadRequestLogSink(path, new SqliteRequestLog(db), (err) =>
    logger.error(
      { err },
      'request log: the writer thread failed; batches are now written on the main thread',
    ),
  );
  const retain = () => {
    thread
      .retain(Date.now(), log.retention_days, log.rollup_retention_days)
      .catch((err: unknown) => logger.error({ err }, 'request log retention failed'));
  };
  retain();
  const retention = setInterval(retain, RETENTION_EVERY_MS);
  retention.unref();
  return {
    append: (records) => thread.append(records),
    async close() {
      clearInterval(retention);
      await thread.close();
      db.close();
    },
  };
}

function refuse(): Promise<void> {
  return Promise.reject(new Error('the cluster primary writes no request log with this store'));
}
