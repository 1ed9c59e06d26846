/** One quota or budget counter in its current period. */
export interface QuotaCounter {
  /** Start of the period the counter counts (ms since the epoch; 0 for `total`). */
  readonly start: number;
  /** What settled requests used in this period. */
  readonly used: number;
  /** What admitted requests still hold. */
  readonly reserved: number;
  /** How many admitted requests hold a reservation. */
  readonly holds: number;
}

/**
 * What `reserve` did: `reserved`; `spent` (the limit is reached); `no_room` (the amount does not
 * fit in what is left while other requests hold reservations); `unseeded` (no such counter).
 */
export type Reservation = 'reserved' | 'spent' | 'no_room' | 'unseeded';

/**
 * The counters behind the quota ledger, one per name (`tokens\0alice`), possibly shared between
 * instances. Every call names the period start it expects: a counter still in an earlier period
 * starts the new one at zero used and keeps what requests in flight reserved. Calls that check
 * and change (`reserve`) are atomic in every driver.
 *
 * The admission rule (docs/limits.md): a request is refused when `used + reserved` has reached
 * the limit; one whose amount does not fit in the rest is refused while other requests hold
 * reservations, and admitted when it would run alone.
 */
export interface QuotaCounterStore {
  /** The counter in the period starting at `start`; undefined when it was never seeded. */
  read(name: string, start: number): Promise<QuotaCounter | undefined>;
  /** Creates the counter with `used` (loaded from the usage history) unless it exists. */
  seed(name: string, start: number, used: number): Promise<void>;
  /** Reserves `amount` when the admission rule allows it; nothing changes otherwise. */
  reserve(name: string, start: number, limit: number, amount: number): Promise<Reservation>;
  /**
   * Charges `charge` to `used`, and gives back a hold of `release` (one hold fewer; `reserved`
   * never below zero, and zero once no hold is left). `release` undefined: no hold to give back.
   */
  settle(name: string, start: number, release: number | undefined, charge: number): Promise<void>;
}

/** The admission rule on one counter's figures, for drivers that decide in their own code. */
export function admission(counter: QuotaCounter, limit: number, amount: number): Reservation {
  const taken = counter.used + counter.reserved;
  if (taken >= limit) return 'spent';
  if (taken + amount > limit && counter.holds > 0) return 'no_room';
  return 'reserved';
}

/** The counter's reservation after a hold of `release` is given back. */
export function afterRelease(counter: QuotaCounter, release: number): { reserved: number; holds: number } {
  const holds = Math.max(0, counter.holds - 1);
  return { holds, reserved: holds === 0 ? 0 : Math.max(0, counter.reserved - release) };
}
