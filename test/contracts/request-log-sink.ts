import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/observe/request-record';
import type { RequestLogSink, RequestPage } from '../../src/store/types';
import { requestRecordFixture, T0 } from '../helpers/request-record';
import type { Driver, MakeDriver } from './driver';

const record = requestRecordFixture;

/** r0…r24, one a second: even ones alice's, every fifth a 429, the first ten on gpt-4o. */
function twentyFive(): RequestRecord[] {
  return Array.from({ length: 25 }, (_, i) =>
    record({
      ts: T0 + i * 1000,
      request_id: `r${i}`,
      client: i % 2 === 0 ? 'alice' : 'bob',
      status: i % 5 === 0 ? 429 : 200,
      model: i < 10 ? 'gpt-4o' : 'gpt-4o-mini',
    }),
  );
}

const ids = (page: RequestPage) => page.data.map((row) => row.request_id);

/** What every RequestLogSink driver must do. */
export function requestLogSinkContract(name: string, makeDriver: MakeDriver<RequestLogSink>): void {
  describe(`RequestLogSink contract: ${name}`, () => {
    let driver: Driver<RequestLogSink>;
    let log: RequestLogSink;
    beforeEach(async () => {
      driver = await makeDriver();
      log = driver.store;
    });
    afterEach(() => driver.close());

    it('gives a record back as written, with its attempts parsed', async () => {
      const attempts = [{ upstream: 'openai', key_fp: 'abc123def456', status: 200, verdict: 'success' }];
      await log.append([record({ attempts: JSON.stringify(attempts), error: 'boom' })]);
      const page = await log.query({});
      expect(page.next_cursor).toBeNull();
      expect(page.data).toHaveLength(1);
      expect(page.data[0]).toMatchObject({ ...record(), attempts, error: 'boom' });
    });

    it('pages newest first by cursor, with filters kept across pages', async () => {
      await log.append(twentyFive());
      const first = await log.query({ client: 'alice', limit: 5 });
      expect(ids(first)).toEqual(['r24', 'r22', 'r20', 'r18', 'r16']);
      const second = await log.query({ client: 'alice', limit: 5, cursor: first.next_cursor! });
      expect(ids(second)).toEqual(['r14', 'r12', 'r10', 'r8', 'r6']);
      const last = await log.query({ client: 'alice', limit: 5, cursor: second.next_cursor! });
      expect(ids(last)).toEqual(['r4', 'r2', 'r0']);
      expect(last.next_cursor).toBeNull();
    });

    it('filters by status, status class, model, time range, upstream and request id', async () => {
      await log.append(twentyFive());
      expect(ids(await log.query({ status: '4xx' }))).toEqual(['r20', 'r15', 'r10', 'r5', 'r0']);
      expect(ids(await log.query({ status: 'error', limit: 2 }))).toEqual(['r20', 'r15']);
      expect(ids(await log.query({ status: '429', model: 'gpt-4o' }))).toEqual(['r5', 'r0']);
      expect(ids(await log.query({ from: T0 + 3000, to: T0 + 6000 }))).toEqual(['r5', 'r4', 'r3']);
      expect(ids(await log.query({ upstream: 'nope' }))).toEqual([]);
      expect((await log.query({ requestId: 'r7' })).data[0]).toMatchObject({ client: 'bob', attempts: [] });
    });

    it('filters by route and verdict, alone and together, across pages', async () => {
      const records = twentyFive().map((r, i) =>
        record({
          ...r,
          route: i % 3 === 0 ? 'canary' : 'default',
          verdict: i % 5 === 0 ? 'rate_limited' : 'success',
        }),
      );
      await log.append(records);
      const first = await log.query({ route: 'canary', limit: 4 });
      expect(ids(first)).toEqual(['r24', 'r21', 'r18', 'r15']);
      expect(ids(await log.query({ route: 'canary', limit: 4, cursor: first.next_cursor! }))).toEqual([
        'r12',
        'r9',
        'r6',
        'r3',
      ]);
      expect(ids(await log.query({ verdict: 'rate_limited', route: 'canary' }))).toEqual(['r15', 'r0']);
      expect(ids(await log.query({ verdict: 'rate_limited' }))).toEqual(['r20', 'r15', 'r10', 'r5', 'r0']);
    });

    it('orders records of the same millisecond by when they were written', async () => {
      await log.append([record({ request_id: 'a' }), record({ request_id: 'b' })]);
      await log.append([record({ request_id: 'c' })]);
      const first = await log.query({ limit: 2 });
      expect(ids(first)).toEqual(['c', 'b']);
      expect(ids(await log.query({ limit: 2, cursor: first.next_cursor! }))).toEqual(['a']);
    });

    it('keeps pages between 1 and 1000 rows', async () => {
      await log.append(twentyFive());
      expect(ids(await log.query({ limit: 0 }))).toEqual(['r24']);
      expect((await log.query({ limit: 5000 })).data).toHaveLength(25);
      expect((await log.query({})).data).toHaveLength(25);
    });

    it('refuses a cursor it did not give', async () => {
      await expect(log.query({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toThrow(/cursor/);
    });
  });
}
