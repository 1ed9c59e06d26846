import { describe, expect, it } from 'vitest';
import { clientSettingsSchema } from '../../config/schema/access';
import { GatewayError } from '../../core/errors';
import { MemoryQuotaCounterStore } from '../../state/memory-quota-counter-store';
import { buildClient } from '../clients/client';
import { periodEnd, periodStart } from './periods';
import { QuotaLedger } from './quota';

const now = Date.UTC(2026, 2, 18, 15, 30); // a Wednesday

function client(settings: object) {
  return buildClient('alice', clientSettingsSchema.parse(settings), {
    source: 'file',
    maskedKey: 'sk-...1234',
  });
}

describe('periods', () => {
  it('start and end in UTC', () => {
    expect(new Date(periodStart('day', now)).toISOString()).toBe('2026-03-18T00:00:00.000Z');
    expect(new Date(periodStart('week', now)).toISOString()).toBe('2026-03-16T00:00:00.000Z');
    expect(new Date(periodStart('month', now)).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(new Date(periodEnd('month', now)!).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(periodEnd('total', now)).toBeNull();
  });
});

describe('the quota ledger', () => {
  it('loads what was used this period, reserves, and refuses once spent', async () => {
    const since: number[] = [];
    const ledger = new QuotaLedger((_name, start) => {
      since.push(start);
      return { tokens: 900, cost: 0 };
    }, new MemoryQuotaCounterStore());
    const alice = client({ quota: { tokens: 1000, period: 'month' } });
    const hold = await ledger.reserve(alice, 150, 0, now);
    expect(since).toEqual([Date.UTC(2026, 2, 1)]);
    let refusal: unknown;
    try {
      await ledger.reserve(alice, 10, 0, now);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(GatewayError);
    expect((refusal as GatewayError).code).toBe('quota_exceeded');
    expect((refusal as GatewayError).headers?.['retry-after']).toBe(
      String((Date.UTC(2026, 3, 1) - now) / 1000),
    );
    await ledger.settle(alice, hold, 40, 0, now);
    expect((await ledger.status(alice, now)).quota).toMatchObject({ used: 940, reserved: 0 });
    expect(await ledger.reserve(alice, 10, 0, now)).toEqual({ tokens: 10, cost: 0 });
  });

  it('refuses a request that does not fit while others are in flight, and admits one alone', async () => {
    const ledger = new QuotaLedger(() => ({ tokens: 0, cost: 0 }), new MemoryQuotaCounterStore());
    const alice = client({ quota: { tokens: 300, period: 'month' } });
    const first = await ledger.reserve(alice, 200, 0, now);
    expect(await ledger.reserve(alice, 100, 0, now)).toEqual({ tokens: 100, cost: 0 });
    const full = await ledger.reserve(alice, 1, 0, now).catch((err: unknown) => err);
    expect((full as GatewayError).code).toBe('quota_exceeded');
    await ledger.settle(alice, first, 10, 0, now);
    const noRoom = await ledger.reserve(alice, 191, 0, now).catch((err: unknown) => err);
    expect((noRoom as GatewayError).message).toMatch(/may use up to 191 tokens/);
    expect((noRoom as GatewayError).headers?.['retry-after']).toBe('1');
    expect(await ledger.reserve(alice, 190, 0, now)).toEqual({ tokens: 190, cost: 0 });
    expect((await ledger.status(alice, now)).quota).toMatchObject({ used: 10, reserved: 290 });
  });

  it('admits a request larger than the rest when the client has nothing in flight', async () => {
    const ledger = new QuotaLedger(() => ({ tokens: 250, cost: 0 }), new MemoryQuotaCounterStore());
    const alice = client({ quota: { tokens: 300, period: 'month' } });
    const hold = await ledger.reserve(alice, 1024, 0, now);
    expect(hold).toEqual({ tokens: 1024, cost: 0 });
    await expect(ledger.reserve(alice, 1, 0, now)).rejects.toThrow(/token quota of 300/);
    await ledger.settle(alice, hold, 30, 0, now);
    expect((await ledger.status(alice, now)).quota).toMatchObject({ used: 280, reserved: 0 });
  });

  it('starts a new period from zero', async () => {
    const ledger = new QuotaLedger(() => ({ tokens: 1000, cost: 0 }), new MemoryQuotaCounterStore());
    const alice = client({ quota: { tokens: 1000, period: 'day' } });
    await expect(ledger.reserve(alice, 1, 0, now)).rejects.toThrow(GatewayError);
    expect(await ledger.reserve(alice, 1, 0, now + 86_400_000)).toEqual({ tokens: 1, cost: 0 });
  });

  it('keeps budgets in USD apart from token quotas', async () => {
    const ledger = new QuotaLedger(() => ({ tokens: 0, cost: 4.99 }), new MemoryQuotaCounterStore());
    const alice = client({ budget: { usd: 5, period: 'total' } });
    const hold = await ledger.reserve(alice, 100, 0.02, now);
    await expect(ledger.reserve(alice, 1, 0.001, now)).rejects.toThrow(/budget of 5 USD/);
    await ledger.settle(alice, hold, 100, 0.005, now);
    expect((await ledger.status(alice, now)).budget).toMatchObject({
      used: 4.995,
      reserved: 0,
      resets_at: null,
    });
  });
});
