import { describe, expect, it } from 'vitest';
import { gcraAdjust, gcraPeek, gcraTake } from './gcra';
import type { LimitRule } from './limiter-store';

const rpm3: LimitRule = { algorithm: 'gcra', limit: 3, periodMs: 60_000 };

describe('GCRA', () => {
  it('allows the whole allowance at once, then one unit per emission interval', () => {
    const state = { tat: 0 };
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(gcraTake(state, rpm3, 1, t0).allowed).toBe(true);
    const refused = gcraTake(state, rpm3, 1, t0);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 20_000, resetMs: 60_000 });
    expect(gcraTake(state, rpm3, 1, t0 + 19_999).allowed).toBe(false);
    expect(gcraTake(state, rpm3, 1, t0 + 20_000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(gcraPeek(state, rpm3, t0 + 80_000)).toMatchObject({ remaining: 3, resetMs: 0 });
  });

  it('never lets more than the allowance through around any instant (no window edge)', () => {
    const state = { tat: 0 };
    let allowed = 0;
    for (let t = 0; t < 10_000; t += 100) if (gcraTake(state, rpm3, 1, 59_000 + t).allowed) allowed++;
    expect(allowed).toBe(3);
  });

  it('takes nothing when refused', () => {
    const state = { tat: 0 };
    gcraTake(state, rpm3, 3, 0);
    const before = state.tat;
    gcraTake(state, rpm3, 1, 0);
    expect(state.tat).toBe(before);
  });

  it('caps a cost larger than the allowance at the allowance', () => {
    const state = { tat: 0 };
    expect(gcraTake(state, { ...rpm3, limit: 100 }, 500, 0)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('gives back an over-estimate and charges an under-estimate', () => {
    const tpm: LimitRule = { algorithm: 'gcra', limit: 1000, periodMs: 60_000 };
    const state = { tat: 0 };
    gcraTake(state, tpm, 800, 0);
    expect(gcraPeek(state, tpm, 0).remaining).toBe(200);
    gcraAdjust(state, tpm, -500, 0);
    expect(gcraPeek(state, tpm, 0).remaining).toBe(700);
    gcraAdjust(state, tpm, 600, 0);
    expect(gcraPeek(state, tpm, 0).remaining).toBe(100);
    gcraAdjust(state, tpm, -5000, 0);
    expect(gcraPeek(state, tpm, 0).remaining).toBe(1000);
  });
});
