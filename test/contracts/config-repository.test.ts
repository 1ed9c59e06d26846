import { join } from 'node:path';
import { SqliteConfigRepository } from '../../src/store/config-repository-sqlite';
import { MemoryConfigRepository } from '../../src/store/memory-config-repository';
import { SecretBox } from '../../src/store/secret-box';
import { openSqlite, type SqliteDatabase } from '../../src/store/sqlite';
import { postgresAvailable } from '../helpers/postgres';
import { configRepositoryContract, steppingClock } from './config-repository';
import { tempDir } from './driver';
import { postgresDriver } from './postgres-drivers';

configRepositoryContract('memory', () => ({
  store: new MemoryConfigRepository(steppingClock()),
  close: () => {},
}));

configRepositoryContract('SQLite', () => {
  const temp = tempDir('config');
  const path = join(temp.dir, 'switchyard.db');
  const box = new SecretBox(Buffer.alloc(32, 3));
  const opened: SqliteDatabase[] = [];
  const open = () => {
    const db = openSqlite(path);
    opened.push(db);
    return new SqliteConfigRepository(db, box, steppingClock());
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
  configRepositoryContract(
    'PostgreSQL',
    postgresDriver((store) => store.config, steppingClock),
  );
}
