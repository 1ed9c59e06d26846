import type { Period } from '../../config/schema/access';

const DAY = 86_400_000;

/** Start of the period containing `now`, in UTC: midnight, Monday, the 1st; 0 for `total`. */
export function periodStart(period: Period, now: number): number {
  const date = new Date(now);
  switch (period) {
    case 'day':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    case 'week': {
      const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
      return midnight - ((date.getUTCDay() + 6) % 7) * DAY;
    }
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    default:
      return 0;
  }
}

/** End of the period containing `now` (the next start); null for `total`, which never resets. */
export function periodEnd(period: Period, now: number): number | null {
  const start = new Date(periodStart(period, now));
  switch (period) {
    case 'day':
      return start.getTime() + DAY;
    case 'week':
      return start.getTime() + 7 * DAY;
    case 'month':
      return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    default:
      return null;
  }
}
