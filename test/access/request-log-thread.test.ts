import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SqliteRequestLog } from '../../src/store/request-log/sqlite-request-log';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };
const SENT = 40;

describe('the request log of a file store', () => {
  let mock: MockUpstream;
  let gw: TestGateway;
  let dir: string;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    dir = mkdtempSync(join(tmpdir(), 'sy-log-thread-'));
    gw = await startTestGateway({
      store: { path: join(dir, 'switchyard.db') },
      request_log: { flush_interval: 60_000, batch_size: 15 },
      upstreams: [{ name: 'mock', url: mock.url }],
    });
  });

  afterAll(async () => {
    await gw?.stop(1000);
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is written by the writer thread, every request in rows and rollups alike', async () => {
    const onMainThread = vi.spyOn(gw.accounting.requestLog as SqliteRequestLog, 'write');
    const client = gw.client();
    for (let i = 0; i < SENT; i++) await client.chat.completions.create(CHAT);
    // Accounting runs a turn after each response.
    while (gw.gateway.pendingAccounts > 0) await new Promise((resolve) => setImmediate(resolve));
    await gw.accounting.writer!.drain();
    const db = new Database(join(dir, 'switchyard.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number };
      const rollups = db.prepare('SELECT SUM(requests) AS n FROM usage_hourly').get() as { n: number };
      expect(rows.n).toBe(SENT);
      expect(rollups.n).toBe(SENT);
    } finally {
      db.close();
    }
    expect(onMainThread).not.toHaveBeenCalled();
    expect(gw.accounting.writer!.written).toBe(SENT);
  });
});
