import { createHash, createHmac } from 'node:crypto';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateD1 } from '../../src/adapter/worker/d1/migrate';
import type { D1Database } from '../../src/adapter/worker/d1/types';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { runScheduled, startWorker } from './harness';

const SECRET = 'worker-test-secret';
const STORED_TOKEN = 'sk-stored-client-token-0001';

/** The digest a Node gateway with the same SWITCHYARD_SECRET stores: HMAC-SHA256 under SHA-256(secret). */
function storedDigest(token: string): Uint8Array {
  const key = createHash('sha256').update(SECRET).digest();
  return new Uint8Array(createHmac('sha256', key).update(token).digest());
}

describe('the Worker with a D1 database bound as SWITCHYARD_DB', () => {
  let upstream: MockUpstream;
  let mf: Miniflare;
  let db: D1Database;

  beforeAll(async () => {
    upstream = await startMock(replyChat());
    mf = startWorker({
      config: {
        server: { log_level: 'warn' },
        upstreams: [{ name: 'main', url: upstream.url, keys: ['sk-main-key-00000001'] }],
      },
      vars: { SWITCHYARD_SECRET: SECRET },
      d1: true,
    });
    db = (await mf.getD1Database('SWITCHYARD_DB')) as unknown as D1Database;
    await migrateD1(db);
    await db
      .prepare(
        'INSERT INTO clients (name, token_digest, token_masked, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .bind(
        'stored-app',
        storedDigest(STORED_TOKEN),
        'sk-...0001',
        '{}',
        1_700_000_000_000,
        1_700_000_000_000,
      )
      .run();
  });

  afterAll(async () => {
    await mf?.dispose();
    await upstream?.close();
  });

  it('accepts a client token stored in D1 and refuses others', async () => {
    const refused = await mf.dispatchFetch('http://gw/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: 'Bearer sk-unknown-token-000001', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
    });
    expect(refused.status).toBe(401);
    await refused.arrayBuffer();
    const accepted = await mf.dispatchFetch('http://gw/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${STORED_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(accepted.status).toBe(200);
    await accepted.arrayBuffer();
  });

  it('holds the request log and its hourly usage in D1', async () => {
    const rows = await vi.waitFor(
      async () => {
        const { results } = await db
          .prepare('SELECT client, upstream, status, model, total_tokens FROM request_log ORDER BY id')
          .all<{
            client: string | null;
            upstream: string | null;
            status: number;
            model: string;
            total_tokens: number;
          }>();
        if (results.length < 2) throw new Error(`only ${results.length} rows so far`);
        return results;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(rows).toEqual([
      { client: null, upstream: null, status: 401, model: null, total_tokens: 0 },
      { client: 'stored-app', upstream: 'main', status: 200, model: 'gpt-4o', total_tokens: 12 },
    ]);
    const { results: usage } = await db
      .prepare("SELECT requests, total_tokens FROM usage_hourly WHERE client = 'stored-app'")
      .all<{ requests: number; total_tokens: number }>();
    expect(usage).toEqual([{ requests: 1, total_tokens: 12 }]);
  });

  it('deletes request log rows past retention_days when a scheduled event comes', async () => {
    const old = Date.now() - 31 * 86_400_000;
    await db
      .prepare(
        `INSERT INTO request_log (ts, request_id, method, path, status, duration_ms, prompt_tokens,
          completion_tokens, cached_tokens, total_tokens, tokens_estimated, stream, attempts)
         VALUES (?, 'old-request', 'POST', '/v1/chat/completions', 200, 1, 0, 0, 0, 0, 0, 0, '[]')`,
      )
      .bind(old)
      .run();
    const ids = async () =>
      (await db.prepare('SELECT request_id FROM request_log').all<{ request_id: string }>()).results.map(
        (row) => row.request_id,
      );
    expect(await ids()).toContain('old-request');
    const before = (await ids()).length;
    expect(await runScheduled(mf)).toBe('ok');
    const after = await ids();
    expect(after).not.toContain('old-request');
    expect(after).toHaveLength(before - 1);
  });
});
