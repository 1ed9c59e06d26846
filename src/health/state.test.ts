import { describe, expect, it } from 'vitest';
import { healthSchema } from '../config/schema/health';
import { applyKeyVerdict, KeyState, keyAvailable } from './key-state';
import type { AttemptRecord } from './tracker';
import { applyUpstreamVerdict, noteDispatch, UpstreamState, upstreamAvailable } from './upstream-state';
import type { Verdict } from './verdict';

const policy = healthSchema.parse({
  rate_limit_cooldown: '10s',
  max_rate_limit_cooldown: '35s',
  eject_threshold: 2,
  eject_cooldown: '30s',
  max_eject_cooldown: '100s',
});

function attempt(verdict: Verdict, extra: Partial<AttemptRecord> = {}): AttemptRecord {
  return { upstream: 'u', key: 'sk-...1', keyId: 'id', status: 0, verdict, durationMs: 1, ...extra };
}

describe('key state transitions', () => {
  it('doubles the default rate-limit cooldown on consecutive limits and clamps it', () => {
    const state = new KeyState();
    const waits = [0, 1, 2, 3].map(() => {
      applyKeyVerdict(state, attempt('rate_limited', { status: 429 }), policy, 0);
      return state.until;
    });
    expect(waits).toEqual([10_000, 20_000, 35_000, 35_000]);
    applyKeyVerdict(state, attempt('rate_limited', { retryAfterMs: 99_000 }), policy, 0);
    expect(state.until).toBe(35_000);
    expect(keyAvailable(state, 34_999)).toBe(false);
    expect(keyAvailable(state, 35_000)).toBe(true);
  });

  it('keeps a disabled key disabled through rate limits', () => {
    const state = new KeyState();
    applyKeyVerdict(state, attempt('invalid_key', { marker: 'invalid_api_key' }), policy, 0);
    expect(state.status).toBe('disabled');
    applyKeyVerdict(state, attempt('rate_limited'), policy, 0);
    expect(state.status).toBe('disabled');
  });

  it('ignores upstream faults, client errors and cancellations', () => {
    const state = new KeyState();
    for (const verdict of ['upstream_fault', 'client_error', 'client_cancelled'] as const) {
      expect(applyKeyVerdict(state, attempt(verdict), policy, 0)).toBeUndefined();
    }
    expect(state).toMatchObject({ status: 'active', consecutiveFailures: 0 });
  });
});

describe('upstream state transitions', () => {
  it('ejects after the threshold, admits one trial, and caps the growing cooldown', () => {
    const state = new UpstreamState();
    applyUpstreamVerdict(state, attempt('upstream_fault'), policy, 0);
    expect(state.status).toBe('healthy');
    applyUpstreamVerdict(state, attempt('upstream_fault'), policy, 0);
    expect(state).toMatchObject({ status: 'ejected', ejectedUntil: 30_000 });
    expect(upstreamAvailable(state, 29_999)).toBe(false);
    const cooldowns: number[] = [];
    let now = 30_000;
    for (let i = 0; i < 3; i++) {
      expect(upstreamAvailable(state, now)).toBe(true);
      noteDispatch(state, now);
      expect(upstreamAvailable(state, now)).toBe(false);
      applyUpstreamVerdict(state, attempt('upstream_fault'), policy, now);
      cooldowns.push(state.ejectedUntil - now);
      now = state.ejectedUntil;
    }
    expect(cooldowns).toEqual([60_000, 100_000, 100_000]);
    noteDispatch(state, now);
    applyUpstreamVerdict(state, attempt('success'), policy, now);
    expect(state.status).toBe('healthy');
  });

  it('frees the trial slot when the trial is cancelled', () => {
    const state = new UpstreamState();
    applyUpstreamVerdict(state, attempt('upstream_fault'), policy, 0);
    applyUpstreamVerdict(state, attempt('upstream_fault'), policy, 0);
    noteDispatch(state, 30_000);
    applyUpstreamVerdict(state, attempt('client_cancelled'), policy, 30_000);
    expect(upstreamAvailable(state, 30_000)).toBe(true);
  });
});
