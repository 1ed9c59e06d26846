import { join } from 'node:path';
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

if (await postgresAvailable()) {
  requestLogSinkContract(
    'PostgreSQL',
    postgresDriver((store) => store.requestLog),
  );
}
