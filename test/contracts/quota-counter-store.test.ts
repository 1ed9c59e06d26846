import { join } from 'node:path';
import { IpcQuotaCounterStore } from '../../src/adapter/node/cluster/stores';
import { PgQuotaCounterStore } from '../../src/adapter/node/postgres/quota-counters';
import { RedisQuotaCounterStore } from '../../src/adapter/node/redis/quota-counter-store';
import { MemoryQuotaCounterStore } from '../../src/state/memory-quota-counter-store';
import { SqliteQuotaCounterStore } from '../../src/store/quota-counters-sqlite';
import { openSqlite, type SqliteDatabase } from '../../src/store/sqlite';
import { postgresAvailable } from '../helpers/postgres';
import { clusterDriver } from './cluster';
import { tempDir } from './driver';
import { postgresDriver } from './postgres-drivers';
import { quotaCounterStoreContract } from './quota-counter-store';
import { redisDriver } from './redis';

quotaCounterStoreContract('memory', () => ({ store: new MemoryQuotaCounterStore(), close: () => {} }));

quotaCounterStoreContract('SQLite', () => {
  const temp = tempDir('quota');
  const path = join(temp.dir, 'switchyard.db');
  const opened: SqliteDatabase[] = [];
  const open = () => {
    const db = openSqlite(path);
    opened.push(db);
    return new SqliteQuotaCounterStore(db);
  };
  return {
    store: open(),
    reopen: open,
    close: () => {
      for (const db of opened) db.close();
      temp.remove();
    },
  };
});

quotaCounterStoreContract('Redis', () => redisDriver((link) => new RedisQuotaCounterStore(link), 1));

if (await postgresAvailable()) {
  quotaCounterStoreContract(
    'PostgreSQL',
    postgresDriver((store) => new PgQuotaCounterStore(store.connection)),
  );
}

quotaCounterStoreContract('cluster IPC (the primary’s memory)', () =>
  clusterDriver((channel) => new IpcQuotaCounterStore(channel)),
);
