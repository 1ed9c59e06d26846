import type { RequestRecord } from '../observe/request-record';

/**
 * The durable stores' interfaces, free of any runtime: SQLite drivers implement them on Node,
 * memory drivers everywhere, and other databases (Postgres, D1) later, each under the same
 * contract suite (test/contracts).
 */

export interface StoredKey {
  readonly id: string;
  readonly secret: string;
  enabled: boolean;
  readonly addedAt: number;
}

export interface StoredUpstream {
  readonly name: string;
  definition: Record<string, unknown>;
  readonly keys: StoredKey[];
  readonly createdAt: number;
  updatedAt: number;
}

export interface StoredRoute {
  readonly name: string;
  definition: Record<string, unknown>;
  readonly position: number;
  readonly createdAt: number;
  updatedAt: number;
}

export interface StoredSetting {
  readonly name: string;
  readonly value: unknown;
  readonly updatedAt: number;
}

export interface KeyImport {
  readonly added: number;
  readonly duplicates: number;
}

/**
 * The configuration made through the admin API: upstreams with their keys, routes (in the order
 * they were made) and settings. Reads answer from a local view held in memory (the data plane
 * never reads the store); writes change that view before they return and settle once the
 * change is durable. Writers validate before they call in here.
 */
export interface ConfigRepository {
  upstreams(): StoredUpstream[];
  upstream(name: string): StoredUpstream | undefined;
  routes(): StoredRoute[];
  route(name: string): StoredRoute | undefined;
  settings(): StoredSetting[];
  setting(name: string): StoredSetting | undefined;
  /**
   * Which of `secrets` are new to the upstream, in order and without repeats; repeats inside
   * `secrets` and keys the upstream already has count as duplicates.
   */
  newKeys(name: string, secrets: readonly string[]): { fresh: string[]; duplicates: number };
  /** Creates the upstream or replaces its definition (its keys stay). */
  putUpstream(name: string, definition: Record<string, unknown>): Promise<void>;
  /**
   * Creates an upstream with its keys (repeats skipped) in one write: both are stored or, when
   * the write fails, neither (a crash never leaves an upstream without its keys).
   */
  createUpstream(
    name: string,
    definition: Record<string, unknown>,
    secrets: readonly string[],
  ): Promise<KeyImport>;
  /** Removes the upstream and its keys; false when there was none. */
  deleteUpstream(name: string): Promise<boolean>;
  /** Adds keys, skipping any the upstream already has; rejects for an unknown upstream. */
  addKeys(name: string, secrets: readonly string[]): Promise<KeyImport>;
  /** Enables or disables the upstream's keys with this id; how many changed. */
  setKeyEnabled(name: string, id: string, enabled: boolean): Promise<number>;
  /** Removes the upstream's keys with this id; how many were removed. */
  deleteKey(name: string, id: string): Promise<number>;
  /** Creates the route at the end of the order, or replaces its definition in place. */
  putRoute(name: string, definition: Record<string, unknown>): Promise<void>;
  deleteRoute(name: string): Promise<boolean>;
  putSetting(name: string, value: unknown): Promise<void>;
  deleteSetting(name: string): Promise<boolean>;
}

export interface RequestQuery {
  /** Milliseconds since the epoch, inclusive. */
  readonly from?: number;
  /** Milliseconds since the epoch, exclusive. */
  readonly to?: number;
  readonly client?: string;
  readonly upstream?: string;
  readonly model?: string;
  readonly route?: string;
  /** The request's verdict: `success`, `rate_limited`, `upstream_fault`… */
  readonly verdict?: string;
  /** An exact status (`429`), a class (`2xx`, `4xx`, `5xx`) or `error` (400 and above). */
  readonly status?: string;
  readonly requestId?: string;
  /** Rows per page, 1-1000 (default 100). */
  readonly limit?: number;
  /** `next_cursor` of the previous page. */
  readonly cursor?: string;
}

export interface RequestPage {
  readonly data: Record<string, unknown>[];
  readonly next_cursor: string | null;
}

/**
 * Where finished requests are written and read back: a batch at a time, off the request path
 * (RequestLogWriter queues and hands batches over). Rows come back newest first with their
 * `attempts` parsed; `next_cursor` continues after the last row of the page.
 */
export interface RequestLogSink {
  /** Writes the records, all or none. */
  append(records: readonly RequestRecord[]): Promise<void>;
  query(query: RequestQuery): Promise<RequestPage>;
}
