/**
 * Requests in flight per name (`client:<name>`, `key:<upstream>:<id>`), shared between
 * instances when the driver is: `acquire` checks and counts in one atomic step, `release`
 * gives one back. A Redis driver keeps one counter per name.
 */
export interface ConcurrencyStore {
  /** Counts one more request when fewer than `limit` are in flight; false (nothing counted) when not. */
  acquire(name: string, limit: number): Promise<boolean>;
  /** Gives back one request; never goes below zero. */
  release(name: string): Promise<void>;
  /** Requests in flight now. */
  count(name: string): Promise<number>;
}
