/**
 * Where cached answers live. Every method may answer asynchronously, so a shared store (Redis,
 * with the scale-out settings) can implement the same interface as the in-memory one.
 */
export interface CacheStore {
  get(key: string): Promise<CacheEntry | undefined>;
  /** Stores an entry until `entry.expiresAt`; may evict others to stay within its size bound. */
  set(key: string, entry: CacheEntry): Promise<void>;
  /** Removes the entries matching the filter (all without one); resolves how many went. */
  purge(filter?: PurgeFilter): Promise<number>;
  stats(): Promise<StoreStats>;
  /** Takes a new size bound (reload), evicting what no longer fits. */
  resize(maxBytes: number): void;
}

/** One stored answer: a complete 2xx response as the client received it. */
export interface CacheEntry {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
  /** The body is an SSE stream, replayed as one. */
  readonly stream: boolean;
  readonly route: string;
  /** The model sent upstream (after a route's rewrite), for purges by model. */
  readonly model: string | null;
  /** What the answer cost when it was made: reported again as saved on every hit. */
  readonly tokens: number;
  readonly cost: number | null;
  /** Wall-clock milliseconds. */
  readonly storedAt: number;
  readonly expiresAt: number;
}

export interface PurgeFilter {
  readonly route?: string;
  readonly model?: string;
}

export interface StoreStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly evictions: number;
}

/** The memory an entry takes, counted against `cache.max_size`: body, key and bookkeeping. */
export function entrySize(key: string, entry: CacheEntry): number {
  return (
    entry.body.length +
    key.length +
    entry.contentType.length +
    entry.route.length +
    (entry.model?.length ?? 0) +
    128
  );
}
