import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PG_URL, postgresAvailable, testSchema } from '../../../../test/helpers/postgres';
import { requestRecordFixture, T0 } from '../../../../test/helpers/request-record';
import type { RequestRecord } from '../../../observe/request-record';
import { PgConnection } from './connection';
import { PgRequestLog } from './request-log';
import { buildRequestQuery, clientUsageSincePg, queryUsageRollups } from './request-query';
import { pgApplyRetention } from './retention';
import { PG_MIGRATIONS } from './schema';

const HOUR = 3_600_000;
const DAY = 86_400_000;

const record = requestRecordFixture;

describe.runIf(await postgresAvailable())('the request log in PostgreSQL', () => {
  let schema: ReturnType<typeof testSchema>;
  let db: PgConnection;
  let log: PgRequestLog;

  beforeEach(async () => {
    schema = testSchema();
    db = new PgConnection({ url: PG_URL, schema: schema.name, max: 2 }, PG_MIGRATIONS);
    expect(await db.connect()).toBe(true);
    log = new PgRequestLog(db);
  });

  afterEach(async () => {
    await db.close();
    await schema.drop();
  });

  it('rolls up per hour, client, upstream, key and model with each batch', async () => {
    await log.append([
      record(),
      record({
        ts: T0 + 10,
        status: 500,
        total_tokens: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        cost: null,
      }),
      record({ ts: T0 + HOUR, client: 'bob' }),
    ]);
    await log.append([record({ ts: T0 + 20 })]);
    expect(await queryUsageRollups(db, { groupBy: ['client', 'hour'] })).toEqual([
      expect.objectContaining({ client: 'alice', hour: T0, requests: 3, errors: 1, total_tokens: 30 }),
      expect.objectContaining({ client: 'bob', hour: T0 + HOUR, requests: 1, total_tokens: 15 }),
    ]);
    expect(await queryUsageRollups(db, { groupBy: ['day'], from: T0 + HOUR })).toEqual([
      expect.objectContaining({ day: T0, requests: 1, avg_duration_ms: 120 }),
    ]);
    expect(await clientUsageSincePg(db, 'alice', T0)).toEqual({ tokens: 30, cost: 0.002 });
    expect(await clientUsageSincePg(db, 'alice', T0 + HOUR)).toEqual({ tokens: 0, cost: 0 });
  });

  it('writes a record whose model or error holds NUL, with U+FFFD in its place', async () => {
    await log.append([record({ model: 'a\u0000b', sent_model: 'a\u0000b', error: 'x\u0000' }), record()]);
    const rows = (await log.query({})).data;
    expect(rows.map((row) => [row.model, row.error])).toEqual([
      ['gpt-4o', null],
      ['a\uFFFDb', 'x\uFFFD'],
    ]);
    expect(await queryUsageRollups(db, { groupBy: ['model'] })).toEqual([
      expect.objectContaining({ model: 'a\uFFFDb', requests: 1 }),
      expect.objectContaining({ model: 'gpt-4o', requests: 1 }),
    ]);
  });

  it('writes no row of a batch when one cannot be written', async () => {
    const bad = { ...record(), method: null } as unknown as RequestRecord;
    await expect(log.append([record({ request_id: 'ok' }), bad])).rejects.toThrow(/null value/);
    expect((await log.query({})).data).toEqual([]);
    expect(await queryUsageRollups(db, { groupBy: [] })).toEqual([
      expect.objectContaining({ requests: null }),
    ]);
  });

  it('reads each filter from an index in time order, without a sort', async () => {
    const cases = [
      { client: 'alice' },
      { upstream: 'openai' },
      { model: 'gpt-4o' },
      { status: '429' },
      { route: 'canary' },
      { verdict: 'rate_limited' },
      { client: 'alice', from: T0, to: T0 + HOUR },
    ];
    for (const query of cases) {
      const { sql, values } = buildRequestQuery(query, 101);
      const client = await db.pool.connect();
      try {
        await client.query('SET enable_seqscan = off');
        const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, values)).rows
          .map((row) => row['QUERY PLAN'])
          .join(' | ');
        expect(plan, JSON.stringify(query)).toMatch(/Index Scan Backward using request_log_/);
        expect(plan, JSON.stringify(query)).not.toMatch(/Sort/);
      } finally {
        client.release();
      }
    }
  });

  it('deletes rows past the retention in chunks, and old rollups', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => record({ ts: T0 + (i % 2 === 0 ? 0 : 40 * DAY) }));
    await log.append(rows);
    expect(await pgApplyRetention(db, T0 + 41 * DAY, 30, 0, 25)).toBe(60);
    expect((await log.query({ limit: 1000 })).data).toHaveLength(60);
    expect(await pgApplyRetention(db, T0 + 41 * DAY, 30, 10)).toBe(1);
    expect(await queryUsageRollups(db, { groupBy: ['hour'] })).toEqual([
      expect.objectContaining({ hour: T0 + 40 * DAY, requests: 60 }),
    ]);
  });
});

describe.runIf(await postgresAvailable())('the PostgreSQL migrations', () => {
  it('apply once, recorded by version, and again find nothing to do', async () => {
    const schema = testSchema();
    const first = new PgConnection({ url: PG_URL, schema: schema.name, max: 1 }, PG_MIGRATIONS);
    const second = new PgConnection({ url: PG_URL, schema: schema.name, max: 1 }, PG_MIGRATIONS);
    try {
      expect(await Promise.all([first.connect(), second.connect()])).toEqual([true, true]);
      const { rows } = await first.query<{ version: number; name: string }>(
        'SELECT version, name FROM schema_migrations ORDER BY version',
      );
      expect(rows).toEqual([
        { version: 1, name: 'config' },
        { version: 2, name: 'clients' },
        { version: 3, name: 'request-log' },
        { version: 4, name: 'quota-counters' },
      ]);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await schema.drop();
    }
  });
});
