import type { RequestRecord } from '../../../observe/request-record';
import type { RequestLogSink, RequestPage, RequestQuery } from '../../../store/types';
import type { PrimaryChannel } from './channel';

/**
 * A worker's request log sink on a SQLite store: batches go to the primary, the one writer of
 * the file, and `append` settles once the primary has committed them. Queries read the file
 * through the worker's own connection (WAL: every committed batch is visible). With the primary
 * gone, batches are written through the worker's connection (the busy timeout orders the rare
 * contention), so a draining orphan loses nothing.
 */
export class IpcRequestLogSink implements RequestLogSink {
  constructor(
    private readonly channel: PrimaryChannel,
    private readonly local: RequestLogSink,
  ) {}

  async append(records: readonly RequestRecord[]): Promise<void> {
    if (!this.channel.up) return this.local.append(records);
    await this.channel.call('log.append', records);
  }

  query(query: RequestQuery): Promise<RequestPage> {
    return this.local.query(query);
  }
}
