import type { z } from 'zod';
import { healthSchema } from '../../src/config/schema/health';
import { type UpstreamConfig, upstreamSchema } from '../../src/config/schema/upstream';
import type { AttemptRecord } from '../../src/health/tracker';
import type { Verdict } from '../../src/health/verdict';
import type { Strategy } from '../../src/routing/strategy';
import { createUpstream, type Upstream } from '../../src/routing/upstream';

/** An Upstream built from config, as the runtime builds it (no network involved). */
export function testUpstream(name: string, extra: Partial<z.input<typeof upstreamSchema>> = {}): Upstream {
  const config: UpstreamConfig = upstreamSchema.parse({ name, url: `http://${name}.invalid`, ...extra });
  return createUpstream(config, healthSchema.parse({}), Math.random);
}

/** Picks `count` times from all members and counts the picks per upstream name. */
export function countPicks(
  strategy: Strategy,
  members: readonly Upstream[],
  count: number,
  random: () => number,
  hashKey?: (i: number) => string,
): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(members.map((m) => [m.name, 0]));
  for (let i = 0; i < count; i++) {
    const picked = strategy.pick(members, { random, now: 0, hashKey: hashKey?.(i) });
    counts[picked.name]!++;
  }
  return counts;
}

export function attempt(upstream: string, verdict: Verdict, ttfbMs?: number): AttemptRecord {
  return {
    upstream,
    key: null,
    keyId: null,
    status: verdict === 'success' ? 200 : 503,
    verdict,
    durationMs: ttfbMs ?? 1,
    ttfbMs,
  };
}
