/** One quota or budget counter in its current period. */
export interface QuotaCounter {
  /** Start of the period the counter counts (ms since the epoch; 0 for `total`). */
  readonly start: number;
  /** What settled requests used in this period. */
  readonly used: number;
  /** What admitted requests still hold. */
  readonly reserved: number;
}

/**
 * The counters behind the quota ledger, one per name (`tokens\0alice`), possibly shared between
 * instances. Every call names the period start it expects: a counter still in an earlier period
 * starts the new one at zero used and keeps what requests in flight reserved. Calls that check
 * and change (`reserve`) are atomic in every driver.
 */
export interface QuotaCounterStore {
  /** The counter in the period starting at `start`; undefined when it was never seeded. */
  read(name: string, start: number): Promise<QuotaCounter | undefined>;
  /** Creates the counter with `used` (loaded from the usage history) unless it exists. */
  seed(name: string, start: number, used: number): Promise<void>;
  /**
   * Adds `amount` to `reserved` when `used + reserved` is below `limit`; false, with nothing
   * changed, when it is not or when the counter was never seeded.
   */
  reserve(name: string, start: number, limit: number, amount: number): Promise<boolean>;
  /** Takes `release` from `reserved` (never below zero) and adds `charge` to `used`. */
  settle(name: string, start: number, release: number, charge: number): Promise<void>;
}
