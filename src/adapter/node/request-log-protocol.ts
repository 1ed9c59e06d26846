import type { RequestRecord } from '../../observe/request-record';

/** What the request log's thread is started with. */
export interface ThreadStart {
  /** The SQLite file (already migrated by the main thread). */
  readonly path: string;
}

/** Main thread → request log thread. */
export type ThreadRequest =
  | { readonly kind: 'append'; readonly id: number; readonly records: readonly RequestRecord[] }
  | {
      readonly kind: 'retain';
      readonly id: number;
      readonly now: number;
      readonly days: number;
      readonly rollupDays: number;
    }
  | { readonly kind: 'close' };

/** Request log thread → main thread: one answer per `append` or `retain`, by id. */
export interface ThreadReply {
  readonly id: number;
  /** The error's message when the batch (all of it) was not written. */
  readonly error?: string;
  /** Rows retention deleted. */
  readonly deleted?: number;
}
