import { describe, expect, it } from 'vitest';
import type { LimitRule } from './limiter-store';
import { MemoryLimiter } from './memory-limiter';

describe('the in-memory limiter', () => {
  it('blocks a key for blockMs once it goes over, then lets it in again', () => {
    const store = new MemoryLimiter();
    const perIp: LimitRule = { algorithm: 'sliding-window', limit: 2, periodMs: 60_000, blockMs: 300_000 };
    expect(store.take('ip:a', perIp, 1, 0).allowed).toBe(true);
    expect(store.take('ip:a', perIp, 1, 1).allowed).toBe(true);
    expect(store.take('ip:a', perIp, 1, 2)).toMatchObject({ allowed: false, retryAfterMs: 300_000 });
    expect(store.take('ip:b', perIp, 1, 3).allowed).toBe(true);
    expect(store.take('ip:a', perIp, 1, 200_000)).toMatchObject({ allowed: false, retryAfterMs: 100_002 });
    expect(store.take('ip:a', perIp, 1, 300_002).allowed).toBe(true);
  });

  it('drops idle keys as time passes', () => {
    const store = new MemoryLimiter();
    const rule: LimitRule = { algorithm: 'gcra', limit: 10, periodMs: 60_000 };
    for (let i = 0; i < 100; i++) store.take(`k${i}`, rule, 1, 0);
    expect(store.size).toBe(100);
    store.take('late', rule, 1, 200_000);
    expect(store.size).toBe(1);
  });

  it('keys the algorithms apart and adjusts both', () => {
    const store = new MemoryLimiter();
    const gcra: LimitRule = { algorithm: 'gcra', limit: 100, periodMs: 60_000 };
    const window: LimitRule = { algorithm: 'sliding-window', limit: 100, periodMs: 60_000 };
    const a = store.take('g', gcra, 90, 0);
    const b = store.take('w', window, 90, 0);
    store.adjust('g', gcra, a.ticket, -80, 0);
    store.adjust('w', window, b.ticket, -80, 0);
    expect(store.peek('g', gcra, 0).remaining).toBe(90);
    expect(store.peek('w', window, 0).remaining).toBe(90);
  });
});
