import { join } from 'node:path';
import { MemoryClientStore } from '../../src/access/clients/memory-client-store';
import { ACCESS_MIGRATIONS } from '../../src/store/access-migrations';
import { SqliteClientStore } from '../../src/store/client-store-sqlite';
import { migrate, openSqlite, type SqliteDatabase } from '../../src/store/sqlite';
import { postgresAvailable } from '../helpers/postgres';
import { clientStoreContract } from './client-store';
import { tempDir } from './driver';
import { postgresDriver } from './postgres-drivers';

clientStoreContract('memory', () => ({ store: new MemoryClientStore(), close: () => {} }));

clientStoreContract('SQLite', () => {
  const temp = tempDir('clients');
  const path = join(temp.dir, 'switchyard.db');
  const opened: SqliteDatabase[] = [];
  const open = () => {
    const db = openSqlite(path);
    migrate(db, ACCESS_MIGRATIONS);
    opened.push(db);
    return new SqliteClientStore(db);
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

if (await postgresAvailable()) {
  clientStoreContract(
    'PostgreSQL',
    postgresDriver((store) => store.clients),
  );
}
