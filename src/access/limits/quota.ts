import type { Period } from '../../config/schema/access';
import { GatewayError } from '../../core/errors';
import type { QuotaCounterStore } from '../../state/quota-counter-store';
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
 * Token quotas and spending budgets per period. A request is admitted while the used amount plus
 * what requests in flight reserved is below the limit; it reserves its estimate, and settles
 * with the real figure when it ends. So concurrent requests can overrun a quota by no more than
 * the reservation of the one admitted last (plus any amount by which a request's real usage
 * exceeded its estimate). Used amounts are loaded once per client from the usage history, then
 * kept in the counter store (memory, or shared); a new period starts from zero. The policy is
 * here; the counters are behind the async QuotaCounterStore.
 */
export class QuotaLedger {
  constructor(
    private readonly source: UsageSource,
    private readonly counters: QuotaCounterStore,
  ) {}

  /** Reserves `tokens` and `cost`; throws 429 when the quota or the budget is already spent. */
  async reserve(client: Client, tokens: number, cost: number, now: number): Promise<QuotaHold | undefined> {
    const { quota, budget } = client.settings;
    if (!quota && !budget) return undefined;
    if (quota) {
      const name = await this.counter(client.name, 'tokens', quota.period, now);
      if (!(await this.counters.reserve(name, periodStart(quota.period, now), quota.tokens, tokens))) {
        throw spent(
          'quota_exceeded',
          `the token quota of ${quota.tokens} per ${quota.period}`,
          quota.period,
          now,
        );
      }
    }
    if (budget) {
      const name = await this.counter(client.name, 'cost', budget.period, now);
      if (!(await this.counters.reserve(name, periodStart(budget.period, now), budget.usd, cost))) {
        await this.release(client, { tokens: quota ? tokens : 0, cost: 0 }, now);
        throw spent(
          'budget_exceeded',
          `the budget of ${budget.usd} USD per ${budget.period}`,
          budget.period,
          now,
        );
      }
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
      await this.counters.settle(name, periodStart(quota.period, now), hold?.tokens ?? 0, tokens);
    }
    if (budget) {
      const name = await this.counter(client.name, 'cost', budget.period, now);
      await this.counters.settle(name, periodStart(budget.period, now), hold?.cost ?? 0, cost);
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
