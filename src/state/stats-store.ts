/** Amounts by field name, for one time bucket. */
export type StatsFields = ReadonlyMap<string, number>;

/**
 * Request statistics of the whole fleet: each instance adds its counters per time bucket
 * (batched, once a second), every reader sees the sums over all instances. Buckets are named by
 * the caller (`minute:1764590400000`); fields are opaque counter names.
 */
export interface StatsStore {
  /** Adds every bucket's amounts to the fleet's; a bucket expires `ttlMs` after its last addition. */
  add(buckets: ReadonlyMap<string, StatsFields>, ttlMs: (bucket: string) => number): Promise<void>;
  /** The fleet's sums for each bucket asked, in order (empty for a bucket nobody wrote). */
  read(buckets: readonly string[]): Promise<StatsFields[]>;
}
