import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { MemoryClientStore } from '../../src/access/clients/memory-client-store';
import { D1ClientStore } from '../../src/adapter/worker/d1/client-store';
import { migrateD1 } from '../../src/adapter/worker/d1/migrate';
import type { D1Database } from '../../src/adapter/worker/d1/types';
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

clientStoreContract('D1 (Miniflare)', async () => {
  // A minimal module: the test reaches the local D1 database from Node through Miniflare.
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 204 }); } }',
    compatibilityDate: '2025-09-01',
    d1Databases: ['DB'],
  });
  const db = (await mf.getD1Database('DB')) as unknown as D1Database;
  await migrateD1(db);
  const open = () => new D1ClientStore(db, (err) => console.error(err));
  return { store: open(), reopen: open, close: () => mf.dispose() };
});

if (await postgresAvailable()) {
  clientStoreContract(
    'PostgreSQL',
    postgresDriver((store) => store.clients),
  );
}
