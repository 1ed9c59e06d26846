import { describe, expect, it } from 'vitest';
import { createLogger } from '../adapter/node/logger';
import { healthSchema } from '../config/schema/health';
import { upstreamSchema } from '../config/schema/upstream';
import { Redactor } from '../observe/redact';
import { createUpstream } from '../routing/upstream';
import { MemoryHealthBus, MemoryHealthSync } from '../state/memory-health-sync';
import { HealthRegistry } from './registry';

const silent = createLogger({ level: 'silent', format: 'json', redactor: new Redactor() });
const upstream = createUpstream(
  upstreamSchema.parse({ name: 'u', url: 'http://u.invalid', keys: ['sk-registry-key-0001'] }),
  healthSchema.parse({}),
  Math.random,
);

describe('HealthRegistry', () => {
  it('keeps an active check verdict through an operator reset', () => {
    const registry = new HealthRegistry(silent);
    registry.setProbeState(upstream, false, 'health check: HTTP 500', 0);
    registry.record(
      upstream,
      upstream.keys.keys[0],
      { upstream: 'u', key: null, keyId: null, status: 500, verdict: 'upstream_fault', durationMs: 1 },
      0,
    );
    registry.resetUpstream(upstream);
    expect(registry.upstreamUsable(upstream, 0)).toBe(false);
    expect(registry.peekUpstream('u')).toMatchObject({ consecutiveFaults: 0, probeDown: true });
    registry.setProbeState(upstream, true, 'health check passed', 1);
    expect(registry.upstreamUsable(upstream, 1)).toBe(true);
  });

  it('records a request that was never sent against no one, and frees a half-open trial', () => {
    const registry = new HealthRegistry(silent);
    const key = upstream.keys.keys[0]!;
    const record = (verdict: 'upstream_fault' | 'not_sent', status: number) => ({
      upstream: 'u',
      key: key.masked,
      keyId: key.id,
      status,
      verdict,
      durationMs: 1,
    });
    registry.record(upstream, key, record('not_sent', 0), 0);
    expect(registry.peekKey('u', key.id)).toBeUndefined();
    expect(registry.peekUpstream('u')).toBeUndefined();
    // Eject (threshold 3), wait out the cooldown: the next dispatch is the half-open trial.
    for (let i = 0; i < 3; i++) registry.record(upstream, key, record('upstream_fault', 500), 0);
    const until = registry.peekUpstream('u')!.ejectedUntil;
    registry.onDispatch(upstream, until);
    expect(registry.peekUpstream('u')).toMatchObject({ status: 'half-open', trialInFlight: true });
    expect(registry.upstreamUsable(upstream, until)).toBe(false);
    registry.record(upstream, key, record('not_sent', 0), until);
    expect(registry.peekUpstream('u')).toMatchObject({
      status: 'half-open',
      trialInFlight: false,
      requests: 3,
    });
    expect(registry.upstreamUsable(upstream, until)).toBe(true);
  });
});

describe('HealthRegistry with a health sync', () => {
  const attempt = (status: number, verdict: 'rate_limited' | 'upstream_fault' | 'success') => ({
    upstream: 'u',
    key: null,
    keyId: null,
    status,
    verdict,
    durationMs: 1,
    retryAfterMs: 30_000,
  });
  const key = upstream.keys.keys[0]!;

  it('applies the key and upstream changes another instance made', async () => {
    const bus = new MemoryHealthBus();
    const here = new HealthRegistry(silent, new MemoryHealthSync(bus));
    const there = new HealthRegistry(silent, new MemoryHealthSync(bus));
    there.record(upstream, key, attempt(429, 'rate_limited'), 1_000);
    await Promise.resolve();
    expect(here.keyUsable(upstream, key, 1_000)).toBe(false);
    expect(here.peekKey('u', key.id)).toMatchObject({ status: 'cooling', until: 31_000 });
    expect(here.keyUsable(upstream, key, 31_000)).toBe(true);
    there.setProbeState(upstream, false, 'health check: HTTP 500', 2_000);
    await Promise.resolve();
    expect(here.upstreamUsable(upstream, 2_000)).toBe(false);
  });

  it('changes nothing with the default sync, which is alone', async () => {
    const here = new HealthRegistry(silent, new MemoryHealthSync());
    const there = new HealthRegistry(silent, new MemoryHealthSync());
    there.record(upstream, key, attempt(429, 'rate_limited'), 1_000);
    await Promise.resolve();
    expect(here.keyUsable(upstream, key, 1_000)).toBe(true);
  });
});
