import { join } from 'node:path';
import { ThreadRequestLogSink } from '../../src/adapter/node/request-log-worker';
import { ACCESS_MIGRATIONS } from '../../src/store/access-migrations';
import { MemoryRequestLog } from '../../src/store/request-log/memory-request-log';
import { SqliteRequestLog } from '../../src/store/request-log/sqlite-request-log';
import { migrate, openSqlite } from '../../src/store/sqlite';
import { postgresAvailable } from '../helpers/postgres';
import { tempDir } from './driver';
import { postgresDriver } from './postgres-drivers';
import { requestLogSinkContract } from './request-log-sink';

requestLogSinkContract('memory', () => ({ store: new MemoryRequestLog(), close: () => {} }));

requestLogSinkContract('SQLite', () => {
  const temp = tempDir('request-log');
  const db = openSqlite(join(temp.dir, 'switchyard.db'));
  migrate(db, ACCESS_MIGRATIONS);
  return {
    store: new SqliteRequestLog(db),
    close: () => {
      db.close();
      temp.remove();
    },
  };
});

requestLogSinkContract('SQLite on the writer thread', () => {
  const temp = tempDir('request-log-thread');
  const path = join(temp.dir, 'switchyard.db');
  const db = openSqlite(path);
  migrate(db, ACCESS_MIGRATIONS);
  const store = new ThreadRequestLogSink(path, new SqliteRequestLog(db), (err) => {
    throw err;
  });
  return {
    store,
    close: async () => {
      await store.close();
      db.close();
      temp.remove();
    },
  };
});

if (await postgresAvailable()) {
  requestLogSinkContract(
    'PostgreSQL',
    postgresDriver((store) => store.requestLog),
  );
}
