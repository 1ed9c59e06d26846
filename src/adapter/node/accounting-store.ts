import type { ClientStore } from '../../access/clients/client-store';
import type { UsageSource } from '../../access/limits/quota';
import type { Logger } from '../../observe/logger';
import { ACCESS_MIGRATIONS } from '../../store/access-migrations';
import { SqliteClientStore } from '../../store/client-store-sqlite';
import { retentionStep } from '../../store/request-log/retention';
import type { UsageQuery } from '../../store/request-log/rollups';
import { clientUsageSince, queryUsage } from '../../store/request-log/rollups-sqlite';
import { SqliteRequestLog } from '../../store/request-log/sqlite-request-log';
import { checkSecret } from '../../store/secret';
import { migrate, type SqliteDatabase } from '../../store/sqlite';
import type { RequestLogSink } from '../../store/types';

/** Where accounting keeps its durable data: SQLite (`store.path`) or PostgreSQL (`store.url`). */
export interface AccountingStore {
  readonly clients: ClientStore;
  readonly requestLog: RequestLogSink;
  readonly usageSince: UsageSource;
  usage(query: UsageQuery): Record<string, unknown>[] | Promise<Record<string, unknown>[]>;
  /** One chunk of retention; `more` when another should follow. */
  retentionStep(
    now: number,
    days: number,
    rollupDays: number,
  ): { more: boolean } | Promise<{ more: boolean }>;
  /** False once the store is closed (retention stops). */
  readonly open: boolean;
}

/** The SQLite store's accounting tables (migrated here), with the gateway secret checked. */
export function sqliteAccountingStore(db: SqliteDatabase, secret: Buffer, logger: Logger): AccountingStore {
  migrate(db, ACCESS_MIGRATIONS);
  if (!checkSecret(db, secret)) {
    logger.error(
      'the gateway secret differs from the one this database was written with: client tokens made with the admin API will not match (restore SWITCHYARD_SECRET or secret.key)',
    );
  }
  return {
    clients: new SqliteClientStore(db),
    requestLog: new SqliteRequestLog(db),
    usageSince: clientUsageSince(db),
    usage: (query) => queryUsage(db, query),
    retentionStep: (now, days, rollupDays) => retentionStep(db, now, days, rollupDays),
    get open() {
      return db.open;
    },
  };
}
