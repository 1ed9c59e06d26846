import type { Period } from '../../config/schema/access';
import { GatewayError } from '../../core/errors';
import type { QuotaCounterStore, Reservation } from '../../state/quota-counter-store';
import type { Client } from '../clients/client';
import { periodEnd, periodStart } from './periods';
import { retryAfterHeaders } from './rate-headers';

/** Tokens and cost a client used since a time: read from the durable store's rollups. */
export type UsageSource = (client: string, since: number) => UsedSince | Promise<UsedSince>;

export interface UsedSince {
  readonly tokens: number;
  readonly cost: number;
}

/** What one admitted request holds against its client's quota and budget until it settles. */
export interface QuotaHold {
  readonly tokens: number;
  readonly cost: number;
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
 * client from the usage history, then kept in the counter store (memory, or shared); a new
 * period starts from zero. The rule is applied atomically by the QuotaCounterStore.
 */
export class QuotaLedger {
  constructor(
    private readonly source: UsageSource,
    private readonly counters: QuotaCounterStore,
  ) {}

  /** Reserves `tokens` and `cost`; throws 429 when the quota or the budget is spent or the request does not fit. */
  async reserve(client: Client, tokens: number, cost: number, now: number): Promise<QuotaHold | undefined> {
    const { quota, budget } = client.settings;
    if (!quota && !budget) return undefined;
    let tokensName: string | undefined;
    if (quota) {
      const what = `the token quota of ${quota.tokens} per ${quota.period}`;
      tokensName = await this.counter(client.name, 'tokens', quota.period, now);
      const outcome = await this.counters.reserve(
        tokensName,
        periodStart(quota.period, now),
        quota.tokens,
        tokens,
      );
      refuse(outcome, 'quota_exceeded', what, `${tokens} tokens`, quota.period, now);
    }
    if (budget) {
      const what = `the budget of ${budget.usd} USD per ${budget.period}`;
      const name = await this.counter(client.name, 'cost', budget.period, now);
      const outcome = await this.counters.reserve(name, periodStart(budget.period, now), budget.usd, cost);
      if (outcome !== 'reserved' && quota && tokensName) {
        await this.counters.settle(tokensName, periodStart(quota.period, now), tokens, 0);
      }
      refuse(outcome, 'budget_exceeded', what, `${cost} USD`, budget.period, now);
    }
    return { tokens: quota ? tokens : 0, cost: budget ? cost : 0 };
  }

  /** Releases a hold and charges what the request really used. */
  async settle(
    client: Client,
    hold: QuotaHold | undefined,
    tokens: number,
    cost: number,
    now: number,
  ): Promise<void> {
    const { quota, budget } = client.settings;
    if (quota) {
      const name = await this.counter(client.name, 'tokens', quota.period, now);
      await this.counters.settle(name, periodStart(quota.period, now), hold?.tokens, tokens);
    }
    if (budget) {
      const name = await this.counter(client.name, 'cost', budget.period, now);
      await this.counters.settle(name, periodStart(budget.period, now), hold?.cost, cost);
    }
  }

  /** Gives a hold back without charging anything (the request was refused after reserving). */
  release(client: Client, hold: QuotaHold | undefined, now: number): Promise<void> {
    return this.settle(client, hold, 0, 0, now);
  }

  /** For the admin API: what the client used and holds in its current periods. */
  async status(client: Client, now: number) {
    const { quota, budget } = client.settings;
    const describe = async (kind: Kind, limit: number, period: Period) => {
      const start = periodStart(period, now);
      const counter = await this.counters.read(await this.counter(client.name, kind, period, now), start);
      const end = periodEnd(period, now);
      return {
        limit,
        used: counter?.used ?? 0,
        reserved: counter?.reserved ?? 0,
        period,
        period_start: new Date(start).toISOString(),
        resets_at: end === null ? null : new Date(end).toISOString(),
      };
    };
    return {
      quota: quota ? await describe('tokens', quota.tokens, quota.period) : null,
      budget: budget ? await describe('cost', budget.usd, budget.period) : null,
    };
  }

  /** The counter's name, seeded from the usage history the first time it is asked for. */
  private async counter(client: string, kind: Kind, period: Period, now: number): Promise<string> {
    const name = `${kind}\u0000${client}`;
    const start = periodStart(period, now);
    if (!(await this.counters.read(name, start))) {
      const loaded = await this.source(client, start);
      await this.counters.seed(name, start, kind === 'tokens' ? loaded.tokens : loaded.cost);
    }
    return name;
  }
}

function spent(code: 'quota_exceeded' | 'budget_exceeded', what: string, period: Period, now: number) {
  const end = periodEnd(period, now);
  return new GatewayError(code, {
    message: `This API key has used ${what}.${end === null ? '' : ` It resets at ${new Date(end).toISOString()}.`}`,
    headers: end === null ? undefined : retryAfterHeaders(end - now),
  });
}

/** Throws the 429 for a reservation the counter refused. */
function refuse(
  outcome: Reservation,
  code: 'quota_exceeded' | 'budget_exceeded',
  what: string,
  amount: string,
  period: Period,
  now: number,
): void {
  if (outcome === 'reserved') return;
  if (outcome === 'no_room') throw noRoom(code, amount, what);
  throw spent(code, what, period, now);
}

/** Requests in flight reserved the rest: worth retrying soon, when they have settled. */
function noRoom(code: 'quota_exceeded' | 'budget_exceeded', amount: string, what: string) {
  return new GatewayError(code, {
    message: `This request may use up to ${amount}, more than is left of ${what} while other requests of this API key are in flight. Lower max_tokens or n, or retry when they finish.`,
    headers: retryAfterHeaders(1000),
  });
}
