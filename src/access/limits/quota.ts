import type { Period } from '../../config/schema/access';
import { GatewayError } from '../../core/errors';
import type { Client } from '../clients/client';
import { periodEnd, periodStart } from './periods';
import { retryAfterHeaders } from './rate-headers';

/** Tokens and cost a client used since a time: read from the durable store's rollups. */
export type UsageSource = (client: string, since: number) => { tokens: number; cost: number };

/** What one admitted request holds against its client's quota and budget until it settles. */
export interface QuotaHold {
  readonly tokens: number;
  readonly cost: number;
}

interface Counter {
  start: number;
  used: number;
  reserved: number;
}

type Kind = 'tokens' | 'cost';

/**
 * Token quotas and spending budgets per period. A request is admitted while the used amount plus
 * what requests in flight reserved is below the limit; it reserves its estimate, and settles
 * with the real figure when it ends. So concurrent requests can overrun a quota by no more than
 * the reservation of the one admitted last (plus any amount by which a request's real usage
 * exceeded its estimate). Used amounts are loaded once per client from the store, then kept in
 * memory; a new period starts from zero.
 */
export class QuotaLedger {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly source: UsageSource) {}

  /** Reserves `tokens` and `cost`; throws 429 when the quota or the budget is already spent. */
  reserve(client: Client, tokens: number, cost: number, now: number): QuotaHold | undefined {
    const { quota, budget } = client.settings;
    if (!quota && !budget) return undefined;
    const quotaCounter = quota ? this.counter(client.name, 'tokens', quota.period, now) : undefined;
    const budgetCounter = budget ? this.counter(client.name, 'cost', budget.period, now) : undefined;
    if (quota && quotaCounter && quotaCounter.used + quotaCounter.reserved >= quota.tokens) {
      throw spent(
        'quota_exceeded',
        `the token quota of ${quota.tokens} per ${quota.period}`,
        quota.period,
        now,
      );
    }
    if (budget && budgetCounter && budgetCounter.used + budgetCounter.reserved >= budget.usd) {
      throw spent(
        'budget_exceeded',
        `the budget of ${budget.usd} USD per ${budget.period}`,
        budget.period,
        now,
      );
    }
    if (quotaCounter) quotaCounter.reserved += tokens;
    if (budgetCounter) budgetCounter.reserved += cost;
    return { tokens: quotaCounter ? tokens : 0, cost: budgetCounter ? cost : 0 };
  }

  /** Releases a hold and charges what the request really used. */
  settle(client: Client, hold: QuotaHold | undefined, tokens: number, cost: number, now: number): void {
    const { quota, budget } = client.settings;
    if (quota) {
      const counter = this.counter(client.name, 'tokens', quota.period, now);
      counter.reserved = Math.max(0, counter.reserved - (hold?.tokens ?? 0));
      counter.used += tokens;
    }
    if (budget) {
      const counter = this.counter(client.name, 'cost', budget.period, now);
      counter.reserved = Math.max(0, counter.reserved - (hold?.cost ?? 0));
      counter.used += cost;
    }
  }

  /** For the admin API: what the client used and holds in its current periods. */
  status(client: Client, now: number) {
    const { quota, budget } = client.settings;
    const describe = (kind: Kind, limit: number, period: Period) => {
      const counter = this.counter(client.name, kind, period, now);
      const end = periodEnd(period, now);
      return {
        limit,
        used: counter.used,
        reserved: counter.reserved,
        period,
        period_start: new Date(counter.start).toISOString(),
        resets_at: end === null ? null : new Date(end).toISOString(),
      };
    };
    return {
      quota: quota ? describe('tokens', quota.tokens, quota.period) : null,
      budget: budget ? describe('cost', budget.usd, budget.period) : null,
    };
  }

  private counter(client: string, kind: Kind, period: Period, now: number): Counter {
    const key = `${kind}\u0000${client}`;
    const start = periodStart(period, now);
    let counter = this.counters.get(key);
    if (!counter) {
      const loaded = this.source(client, start);
      counter = { start, used: kind === 'tokens' ? loaded.tokens : loaded.cost, reserved: 0 };
      this.counters.set(key, counter);
    } else if (counter.start !== start) {
      counter.start = start;
      counter.used = 0;
    }
    return counter;
  }
}

function spent(code: 'quota_exceeded' | 'budget_exceeded', what: string, period: Period, now: number) {
  const end = periodEnd(period, now);
  return new GatewayError(code, {
    message: `This API key has used ${what}.${end === null ? '' : ` It resets at ${new Date(end).toISOString()}.`}`,
    headers: end === null ? undefined : retryAfterHeaders(end - now),
  });
}
