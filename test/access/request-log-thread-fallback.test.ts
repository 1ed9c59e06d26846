import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ThreadRequestLogSink } from '../../src/adapter/node/request-log-worker';
import type { RequestRecord } from '../../src/observe/request-record';
import { ACCESS_MIGRATIONS } from '../../src/store/access-migrations';
import { SqliteRequestLog } from '../../src/store/request-log/sqlite-request-log';
import { migrate, openSqlite, type SqliteDatabase } from '../../src/store/sqlite';

const ROW: RequestRecord = {
  ts: Date.UTC(2026, 5, 1),
  request_id: 'req-fallback',
  client: 'alice',
  route: 'default',
  upstream: 'openai',
  key_fp: 'abc123def456',
  method: 'POST',
  path: '/v1/chat/completions',
  model: 'gpt-4o',
  sent_model: 'gpt-4o',
  status: 200,
  verdict: 'success',
  duration_ms: 120,
  ttfb_ms: 80,
  prompt_tokens: 10,
  completion_tokens: 5,
  cached_tokens: 0,
  total_tokens: 15,
  tokens_estimated: 0,
  cost: 0.001,
  stream: 0,
  client_ip: '127.0.0.1',
  user_agent: 'test',
  error: null,
  attempts: '[]',
  cache: null,
  saved_tokens: 0,
  saved_cost: null,
};

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
