import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ThreadRequestLogSink } from '../../src/adapter/node/request-log-worker';
import { ACCESS_MIGRATIONS } from '../../src/store/access-migrations';
import { SqliteRequestLog } from '../../src/store/request-log/sqlite-request-log';
import { migrate, openSqlite, type SqliteDatabase } from '../../src/store/sqlite';
import { requestRecordFixture } from '../helpers/request-record';

const ROW = requestRecordFixture({ request_id: 'req-fallback' });

let dir: string | undefined;
let db: SqliteDatabase | undefined;

afterEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('writes on the main thread once the writer thread has failed, and says so', async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-thread-fallback-'));
  db = openSqlite(join(dir, 'switchyard.db'));
  migrate(db, ACCESS_MIGRATIONS);
  // The thread is given a path below a regular file: it cannot open a database there.
  writeFileSync(join(dir, 'not-a-folder'), '');
  const failures: Error[] = [];
  let failed = (): void => {};
  const threadFailed = new Promise<void>((resolve) => {
    failed = resolve;
  });
  const sink = new ThreadRequestLogSink(
    join(dir, 'not-a-folder', 'x.db'),
    new SqliteRequestLog(db),
    (err) => {
      failures.push(err);
      failed();
    },
  );
  await threadFailed;
  await sink.append([ROW]);
  const rows = db.prepare('SELECT request_id FROM request_log').all() as { request_id: string }[];
  expect(rows).toEqual([{ request_id: 'req-fallback' }]);
  expect(failures).toHaveLength(1);
  await sink.close();
});
