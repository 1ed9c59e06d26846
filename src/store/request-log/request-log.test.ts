import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestRecordFixture, T0 } from '../../../test/helpers/request-record';
import { ACCESS_MIGRATIONS } from '../access-migrations';
import { migrate, openSqlite, type SqliteDatabase } from '../sqlite';
import type { RequestLogSink } from '../types';
import { buildQuery, queryRequests } from './query';
import { applyRetention } from './retention';
import { clientUsageSince, queryUsage } from './rollups-sqlite';
import { SqliteRequestLog } from './sqlite-request-log';
import { RequestLogWriter } from './writer';

const HOUR = 3_600_000;

const record = requestRecordFixture;

describe('the request log', () => {
  let db: SqliteDatabase;
  let writer: RequestLogWriter | undefined;

  beforeEach(() => {
    db = openSqlite(':memory:');
    migrate(db, ACCESS_MIGRATIONS);
  });

  afterEach(() => {
    writer?.close();
    writer = undefined;
    vi.useRealTimers();
    db.close();
  });

  function count(): number {
    return (db.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number }).n;
  }

  it('writes nothing on the request path, then a batch every interval', () => {
    vi.useFakeTimers();
    writer = new RequestLogWriter(new SqliteRequestLog(db), {
      flushIntervalMs: 1000,
      batchSize: 500,
      queueLimit: 1000,
    });
    for (let i = 0; i < 10; i++) writer.enqueue(record({ request_id: `r${i}` }));
    expect(count()).toBe(0);
    vi.advanceTimersByTime(999);
    expect(count()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(count()).toBe(10);
  });

  it('writes a full batch without waiting for the interval', () => {
    vi.useFakeTimers();
    writer = new RequestLogWriter(new SqliteRequestLog(db), {
      flushIntervalMs: 60_000,
      batchSize: 5,
      queueLimit: 1000,
    });
    for (let i = 0; i < 5; i++) writer.enqueue(record());
    vi.advanceTimersToNextTimer();
    expect(count()).toBe(5);
  });

  it('drops records past the queue limit and says how many', () => {
    const dropped: number[] = [];
    writer = new RequestLogWriter(new SqliteRequestLog(db), {
      flushIntervalMs: 60_000,
      batchSize: 1000,
      queueLimit: 3,
      onDrop: (n) => dropped.push(n),
    });
    for (let i = 0; i < 5; i++) writer.enqueue(record());
    expect(writer.flush()).toBe(3);
    expect(dropped).toEqual([2]);
    expect(writer.dropped).toBe(2);
  });

  it('counts records handed to a sink that has not written them yet against the queue limit', async () => {
    let finish = (): void => {};
    const database = new SqliteRequestLog(db);
    // A sink whose writes complete only when the test says so, as a writer thread that is behind.
    const slow: RequestLogSink = {
      append: (records) =>
        new Promise((resolve) => {
          finish = () => resolve(database.write(records));
        }),
      query: (query) => database.query(query),
    };
    const dropped: number[] = [];
    writer = new RequestLogWriter(slow, {
      flushIntervalMs: 60_000,
      batchSize: 1000,
      queueLimit: 3,
      onDrop: (n) => dropped.push(n),
    });
    for (let i = 0; i < 3; i++) writer.enqueue(record());
    expect(writer.flush()).toBe(3);
    for (let i = 0; i < 2; i++) writer.enqueue(record());
    expect(writer.pending).toBe(0);
    finish();
    await writer.drain();
    expect(count()).toBe(3);
    writer.enqueue(record());
    expect(writer.pending).toBe(1);
    expect(writer.flush()).toBe(1);
    expect(dropped).toEqual([2]);
  });

  it('writes what is left on close', () => {
    writer = new RequestLogWriter(new SqliteRequestLog(db), {
      flushIntervalMs: 60_000,
      batchSize: 1000,
      queueLimit: 1000,
    });
    writer.enqueue(record());
    writer.close();
    expect(count()).toBe(1);
    writer.enqueue(record());
    expect(writer.pending).toBe(0);
  });

  it('rolls up per hour, client, upstream, key and model in the same transaction', () => {
    writer = new RequestLogWriter(new SqliteRequestLog(db), {
      flushIntervalMs: 60_000,
      batchSize: 1000,
      queueLimit: 1000,
    });
    writer.enqueue(record());
    writer.enqueue(
      record({
        ts: T0 + 10,
        status: 500,
        total_tokens: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        cost: null,
      }),
    );
    writer.enqueue(record({ ts: T0 + HOUR, client: 'bob' }));
    writer.flush();
    writer.enqueue(record({ ts: T0 + 20 }));
    writer.flush();
    expect(queryUsage(db, { groupBy: ['client', 'hour'] })).toEqual([
      expect.objectContaining({ client: 'alice', hour: T0, requests: 3, errors: 1, total_tokens: 30 }),
      expect.objectContaining({ client: 'bob', hour: T0 + HOUR, requests: 1, total_tokens: 15 }),
    ]);
    expect(clientUsageSince(db)('alice', T0)).toEqual({ tokens: 30, cost: 0.002 });
    expect(clientUsageSince(db)('alice', T0 + HOUR)).toEqual({ tokens: 0, cost: 0 });
  });

  it('filters by time, client, upstream, model, route, verdict and status, and pages by cursor', () => {
    writer = new RequestLogWriter(new SqliteRequestLog(db), {
      flushIntervalMs: 60_000,
      batchSize: 1000,
      queueLimit: 1000,
    });
    for (let i = 0; i < 25; i++) {
      writer.enqueue(
        record({
          ts: T0 + i * 1000,
          request_id: `r${i}`,
          client: i % 2 === 0 ? 'alice' : 'bob',
          status: i % 5 === 0 ? 429 : 200,
          model: i < 10 ? 'gpt-4o' : 'gpt-4o-mini',
          route: i % 3 === 0 ? 'canary' : 'default',
          verdict: i % 5 === 0 ? 'rate_limited' : 'success',
        }),
      );
    }
    writer.flush();
    const ids = (page: { data: Record<string, unknown>[] }) => page.data.map((row) => row.request_id);
    const first = queryRequests(db, { client: 'alice', limit: 5 });
    expect(ids(first)).toEqual(['r24', 'r22', 'r20', 'r18', 'r16']);
    const second = queryRequests(db, { client: 'alice', limit: 5, cursor: first.next_cursor! });
    expect(ids(second)).toEqual(['r14', 'r12', 'r10', 'r8', 'r6']);
    const last = queryRequests(db, { client: 'alice', limit: 5, cursor: second.next_cursor! });
    expect(ids(last)).toEqual(['r4', 'r2', 'r0']);
    expect(last.next_cursor).toBeNull();
    expect(ids(queryRequests(db, { status: '4xx' }))).toEqual(['r20', 'r15', 'r10', 'r5', 'r0']);
    expect(ids(queryRequests(db, { status: '429', model: 'gpt-4o' }))).toEqual(['r5', 'r0']);
    expect(ids(queryRequests(db, { from: T0 + 3000, to: T0 + 6000 }))).toEqual(['r5', 'r4', 'r3']);
    expect(ids(queryRequests(db, { upstream: 'nope' }))).toEqual([]);
    expect(ids(queryRequests(db, { route: 'canary', limit: 4 }))).toEqual(['r24', 'r21', 'r18', 'r15']);
    expect(ids(queryRequests(db, { verdict: 'rate_limited', route: 'canary' }))).toEqual(['r15', 'r0']);
    expect(queryRequests(db, { requestId: 'r7' }).data[0]).toMatchObject({ client: 'bob', attempts: [] });
  });

  it('reads each filter from an index in time order, without a sort', () => {
    const cases = [
      {},
      { client: 'alice' },
      { upstream: 'openai' },
      { model: 'gpt-4o' },
      { status: '429' },
      { route: 'canary' },
      { verdict: 'rate_limited' },
      { status: '5xx' },
      { client: 'alice', from: T0, to: T0 + HOUR },
      { client: 'alice', cursor: Buffer.from(`${T0}:5`).toString('base64url') },
    ];
    for (const query of cases) {
      const { sql, params } = buildQuery(query);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params, 100) as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ');
      expect(plan, JSON.stringify(query)).toMatch(/USING (?:COVERING )?INDEX request_log_/);
      expect(plan, JSON.stringify(query)).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('deletes rows past the retention, in chunks', () => {
    writer = new RequestLogWriter(new SqliteRequestLog(db), {
      flushIntervalMs: 60_000,
      batchSize: 100_000,
      queueLimit: 100_000,
    });
    for (let i = 0; i < 1_200; i++) writer.enqueue(record({ ts: T0 + (i % 2 === 0 ? 0 : 40 * 86_400_000) }));
    writer.flush();
    expect(applyRetention(db, T0 + 41 * 86_400_000, 30, 0, 250)).toBe(600);
    expect(count()).toBe(600);
    expect(applyRetention(db, T0 + 41 * 86_400_000, 30, 10)).toBe(1);
  });
});
