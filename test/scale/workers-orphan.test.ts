import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteRequestLog } from '../../src/store/request-log/sqlite-request-log';
import { openSqlite } from '../../src/store/sqlite';
import { chatCompletion, type MockUpstream, sendJson, signal, startMock } from '../helpers/mock-upstream';
import { type ClusterProcess, send, startCluster, workerPids } from './cluster-helpers';
import { eventually } from './redis-helpers';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('workers whose primary is gone', () => {
  let mock: MockUpstream | undefined;
  let cluster: ClusterProcess | undefined;
  let pids: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-orphans-'));

  afterAll(async () => {
    for (const pid of pids.filter(running)) process.kill(pid, 'SIGKILL');
    await mock?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finish what they hold and exit, leaving no process behind', async () => {
    const gate = signal();
    mock = await startMock(async (_req, res) => {
      await gate.promise;
      sendJson(res, 200, chatCompletion('gpt-4o', 'hello'));
    });
    const config = {
      server: { port: 0, workers: 2, log_format: 'json' },
      store: { path: join(dir, 'switchyard.db') },
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-orphan-0001'] }],
    };
    writeFileSync(join(dir, 'switchyard.yaml'), JSON.stringify(config));
    cluster = await startCluster(join(dir, 'switchyard.yaml'));
    expect((await send(cluster.url, '/health')).status).toBe(200);
    pids = workerPids(cluster.child);
    expect(pids.length).toBe(2);
    const inFlight = send(cluster.url, '/v1/chat/completions', {
      body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
    });
    await eventually(() => mock!.requests.length === 1, 10_000);
    cluster.child.kill('SIGKILL');
    await cluster.exited;
    gate.fire();
    expect((await inFlight).status).toBe(200);
    await eventually(() => pids.every((pid) => !running(pid)), 15_000);
    // The request ended after the primary was gone: the orphan wrote it through its own connection.
    const db = openSqlite(join(dir, 'switchyard.db'));
    const page = await new SqliteRequestLog(db).query({});
    db.close();
    expect(page.data.map((row) => [row.path, row.status])).toEqual([['/v1/chat/completions', 200]]);
  }, 60_000);
});
