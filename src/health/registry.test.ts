import { describe, expect, it } from 'vitest';
import { createLogger } from '../adapter/node/logger';
import { healthSchema } from '../config/schema/health';
import { upstreamSchema } from '../config/schema/upstream';
import { Redactor } from '../observe/redact';
import { createUpstream } from '../routing/upstream';
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
});
