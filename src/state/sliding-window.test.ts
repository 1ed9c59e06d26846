import { describe, expect, it } from 'vitest';
import type { LimitRule } from './limiter-store';
import { SlidingWindow } from './sliding-window';

const rule: LimitRule = { algorithm: 'sliding-window', limit: 5, periodMs: 60_000 };

describe('the sliding window log', () => {
  it('never holds more than the limit in any window, wherever it starts', () => {
    const window = new SlidingWindow();
    const taken: number[] = [];
    for (let t = 0; t < 300_000; t += 1_000) if (window.take(rule, 1, t).allowed) taken.push(t);
    for (const start of taken) {
      expect(taken.filter((t) => t >= start && t < start + rule.periodMs).length).toBeLessThanOrEqual(5);
    }
    expect(taken.length).toBe(25);
  });

  it('says exactly when the oldest entries leave', () => {
    const window = new SlidingWindow();
    window.take(rule, 2, 1_000);
    window.take(rule, 3, 5_000);
    expect(window.take(rule, 1, 10_000)).toMatchObject({
      allowed: false,
      retryAfterMs: 51_000,
      remaining: 0,
    });
    expect(window.take(rule, 3, 10_000)).toMatchObject({ allowed: false, retryAfterMs: 55_000 });
    expect(window.take(rule, 2, 61_000)).toMatchObject({ allowed: true, remaining: 0, resetMs: 60_000 });
  });

  it('reconciles an entry by its ticket while it is in the window', () => {
    const window = new SlidingWindow();
    const first = window.take(rule, 4, 0);
    expect(window.take(rule, 2, 1).allowed).toBe(false);
    window.adjust(first.ticket, -3);
    expect(window.used).toBe(1);
    expect(window.take(rule, 2, 2).allowed).toBe(true);
    window.adjust(first.ticket, 10);
    expect(window.used).toBe(13);
    window.peek(rule, 60_001);
    window.adjust(first.ticket, -13);
    expect(window.used).toBe(2);
  });

  it('keeps its order through growth of the ring buffer', () => {
    const big: LimitRule = { ...rule, limit: 100 };
    const window = new SlidingWindow();
    for (let i = 0; i < 50; i++) window.take(big, 1, i * 1_000);
    expect(window.peek(big, 60_500).remaining).toBe(100 - 50 + 1);
    for (let i = 0; i < 30; i++) window.take(big, 1, 61_000 + i);
    expect(window.peek(big, 61_100).remaining).toBe(100 - 49 - 30 + 1);
  });
});
