import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../core/errors';
import type { ConcurrencyStore } from '../../../state/concurrency-store';
import type { LimitRule } from '../../../state/limiter-store';
import { MemoryConcurrencyStore } from '../../../state/memory-concurrency-store';
import { MemoryLimiterStore } from '../../../state/memory-limiter-store';
import { MemoryQuotaCounterStore } from '../../../state/memory-quota-counter-store';
import { FailClosedQuotaCounters } from './fail-closed-quotas';
import { FallbackConcurrencyStore, FallbackLimiterStore, type FaultPolicy, localShare } from './fallback';

const rpm60: LimitRule = { algorithm: 'gcra', limit: 60, periodMs: 60_000 };

function policy(up: boolean, fleetSize: number): FaultPolicy & { faults: unknown[] } {
  const faults: unknown[] = [];
  return { up, fleetSize, faults, fault: (err) => faults.push(err) };
}

/** A shared store whose every call fails, as one on a dropped connection does. */
class Unreachable implements ConcurrencyStore {
  acquire(): Promise<boolean> {
    return Promise.reject(new Error('Connection is closed.'));
  }
  release(): Promise<void> {
    return Promise.reject(new Error('Connection is closed.'));
  }
  count(): Promise<number> {
    return Promise.reject(new Error('Connection is closed.'));
  }
}

describe('the fault policy of the shared state', () => {
  it('gives each instance its share of a limit, never less than 1', () => {
    expect(localShare(rpm60, 3).limit).toBe(20);
    expect(localShare(rpm60, 7).limit).toBe(8);
    expect(localShare({ ...rpm60, limit: 2 }, 5).limit).toBe(1);
    expect(localShare(rpm60, 1)).toBe(rpm60);
  });

  it('limits on the local share while the shared store is down, without asking it', async () => {
    const shared = new MemoryLimiterStore();
    const store = new FallbackLimiterStore(shared, policy(false, 3));
    const decisions = await Promise.all(Array.from({ length: 25 }, () => store.take('a', rpm60, 1, 0)));
    expect(decisions.filter((d) => d.allowed).length).toBe(20);
    expect((await shared.peek('a', rpm60, 0)).remaining).toBe(60);
  });

  it('falls back when a call fails, and reports the fault', async () => {
    const faulty = policy(true, 2);
    const store = new FallbackConcurrencyStore(new Unreachable(), faulty);
    expect(await store.acquire('client:a', 4)).toBe(true);
    expect(await store.acquire('client:a', 4)).toBe(true);
    expect(await store.acquire('client:a', 4)).toBe(false);
    expect(faulty.faults.length).toBe(3);
    await store.release('client:a');
    expect(await store.count('client:a')).toBe(1);
  });

  it('gives a place taken locally back locally, and one taken in the shared store back there', async () => {
    const shared = new MemoryConcurrencyStore();
    const live = policy(true, 1);
    const store = new FallbackConcurrencyStore(shared, live);
    expect(await store.acquire('client:a', 5)).toBe(true);
    expect(await shared.count('client:a')).toBe(1);
    await store.release('client:a');
    expect(await shared.count('client:a')).toBe(0);
  });

  it('refuses quota reservations with quota_unavailable while down, and drops settlements', async () => {
    const shared = new MemoryQuotaCounterStore();
    await shared.seed('tokens\0a', 0, 10);
    const store = new FailClosedQuotaCounters(shared, policy(false, 1));
    const refused = await store.reserve('tokens\0a', 0, 100, 5).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ code: 'quota_unavailable', status: 429 });
    await expect(store.read('tokens\0a', 0)).rejects.toMatchObject({ code: 'quota_unavailable' });
    await store.settle('tokens\0a', 0, undefined, 50);
    expect((await shared.read('tokens\0a', 0))?.used).toBe(10);
  });
});
