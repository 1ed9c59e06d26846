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
  /** Requests in flight holding a reservation on this counter. */
  holds: number;
}

type Kind = 'tokens' | 'cost';

/**
 * Token quotas and spending budgets per period. A request reserves its estimate, which bounds
 * what it can cost (prompt plus n × the completion it allows), and settles with the real figure
 * when it ends. It is admitted when the limit is not reached and its reservation fits in what is
 * left after the used amount and the reservations of requests in flight. A request that does not
 * fit is still admitted when the client has nothing else in flight (else a request larger than
 * the rest of the quota could never run). So the total passes the limit only by what one request
 * running alone used beyond the remainder (plus any amount by which a request's real usage
 * exceeded its estimate), however many requests arrive at once. Used amounts are loaded once per
 * client from the store, then kept in memory; a new period starts from zero.
 */
export class QuotaLedger {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly source: UsageSource) {}

  /** Reserves `tokens` and `cost`; throws 429 when the quota or the budget is spent or the request does not fit. */
  reserve(client: Client, tokens: number, cost: number, now: number): QuotaHold | undefined {
    const { quota, budget } = client.settings;
    if (!quota && !budget) return undefined;
    const quotaCounter = quota ? this.counter(client.name, 'tokens', quota.period, now) : undefined;
    const budgetCounter = budget ? this.counter(client.name, 'cost', budget.period, now) : undefined;
    if (quota && quotaCounter) {
      const what = `the token quota of ${quota.tokens} per ${quota.period}`;
      check(
        quotaCounter,
        tokens,
        quota.tokens,
        () => spent('quota_exceeded', what, quota.period, now),
        () => noRoom('quota_exceeded', `${tokens} tokens`, what),
      );
    }
    if (budget && budgetCounter) {
      const what = `the budget of ${budget.usd} USD per ${budget.period}`;
      check(
        budgetCounter,
        cost,
        budget.usd,
        () => spent('budget_exceeded', what, budget.period, now),
        () => noRoom('budget_exceeded', `${cost} USD`, what),
      );
    }
    hold(quotaCounter, tokens);
    hold(budgetCounter, cost);
    return { tokens: quotaCounter ? tokens : 0, cost: budgetCounter ? cost : 0 };
  }

  /** Releases a hold and charges what the request really used. */
  settle(client: Client, hold: QuotaHold | undefined, tokens: number, cost: number, now: number): void {
    const { quota, budget } = client.settings;
    if (quota) {
      const counter = this.counter(client.name, 'tokens', quota.period, now);
      release(counter, hold, hold?.tokens ?? 0);
      counter.used += tokens;
    }
    if (budget) {
      const counter = this.counter(client.name, 'cost', budget.period, now);
      release(counter, hold, hold?.cost ?? 0);
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
      counter = { start, used: kind === 'tokens' ? loaded.tokens : loaded.cost, reserved: 0, holds: 0 };
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

/** Throws when the limit is reached, or when `amount` does not fit while other requests are in flight. */
function check(
  counter: Counter,
  amount: number,
  limit: number,
  spentError: () => GatewayError,
  noRoomError: () => GatewayError,
): void {
  const taken = counter.used + counter.reserved;
  if (taken >= limit) throw spentError();
  if (taken + amount > limit && counter.holds > 0) throw noRoomError();
}

function hold(counter: Counter | undefined, amount: number): void {
  if (!counter) return;
  counter.reserved += amount;
  counter.holds++;
}

function release(counter: Counter, hold: QuotaHold | undefined, amount: number): void {
  if (!hold) return;
  counter.holds = Math.max(0, counter.holds - 1);
  counter.reserved = counter.holds === 0 ? 0 : Math.max(0, counter.reserved - amount);
}

/** Requests in flight reserved the rest: worth retrying soon, when they have settled. */
function noRoom(code: 'quota_exceeded' | 'budget_exceeded', amount: string, what: string) {
  return new GatewayError(code, {
    message: `This request may use up to ${amount}, more than is left of ${what} while other requests of this API key are in flight. Lower max_tokens or n, or retry when they finish.`,
    headers: retryAfterHeaders(1000),
  });
}
