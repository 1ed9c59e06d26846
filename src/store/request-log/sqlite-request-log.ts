import type { RequestRecord } from '../../observe/request-record';
import type { SqliteDatabase } from '../sqlite';
import type { RequestLogSink, RequestPage, RequestQuery } from '../types';
import { queryRequests } from './query';
import { rollUp } from './rollups';
import { upsertRollups } from './rollups-sqlite';
import { insertRequestSql } from './sql';

/**
 * The request log in the `request_log` table: a batch is written in one transaction with the
 * hourly rollups of the same records, so rows and rollups always agree. The write is done when
 * `append` returns (the Promise only reports it).
 */
export class SqliteRequestLog implements RequestLogSink {
  private readonly writeBatch: (records: readonly RequestRecord[]) => void;

  constructor(private readonly db: SqliteDatabase) {
    const insert = db.prepare(insertRequestSql((column) => `@${column}`));
    const upsert = upsertRollups(db);
    this.writeBatch = db.transaction((records: readonly RequestRecord[]) => {
      for (const record of records) insert.run(record);
      upsert(rollUp(records));
    });
  }

  async append(records: readonly RequestRecord[]): Promise<void> {
    this.writeBatch(records);
  }

  async query(query: RequestQuery): Promise<RequestPage> {
    return queryRequests(this.db, query);
  }
}
