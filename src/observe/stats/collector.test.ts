import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../core/context';
import type { AttemptRecord } from '../../health/tracker';
import type { Verdict } from '../../health/verdict';
import type { Route } from '../../routing/route';
import type { Upstream } from '../../routing/upstream';
import { type SeriesStats, StatsCollector } from './collector';

interface Fake {
  latencyMs: number;
  verdict?: Verdict;
  attempts?: Partial<AttemptRecord>[];
  client?: string;
  model?: string;
  tokens?: [number, number];
}

function context({ latencyMs, verdict = 'success', attempts, client, model, tokens }: Fake): RequestContext {
  const ctx = new RequestContext(
    'id',
    'POST',
    '/v1/chat/completions',
    'h',
    'ip',
    '',
    performance.now() - latencyMs,
    {},
  );
  ctx.route = { name: 'main' } as Route;
  ctx.verdict = verdict;
  ctx.model = model;
  ctx.client = client ? { name: client } : undefined;
  ctx.ttfbMs = latencyMs / 2;
  const records = attempts ?? [{ verdict }];
  for (const attempt of records) {
    ctx.attempts.push({
      upstream: 'a',
      key: 'sk-...1111',
      keyId: 'k1',
      status: 200,
      verdict: 'success',
      durationMs: latencyMs,
      ttfbMs: latencyMs / 2,
      ...attempt,
    });
  }
  ctx.upstream = { name: ctx.attempts.at(-1)!.upstream } as Upstream;
  if (tokens)
    Object.assign(ctx, { admission: { usage: { promptTokens: tokens[0], completionTokens: tokens[1] } } });
  return ctx;
}

function near(value: number | undefined, expected: number): void {
  expect(value).toBeGreaterThanOrEqual(expected * 0.98);
  expect(value).toBeLessThanOrEqual(expected * 1.02 + 0.1);
}

describe('StatsCollector', () => {
  it('gives percentiles over the whole window, not an average of slot figures', () => {
    let now = 1_700_000_000_000;
    const stats = new StatsCollector(() => now);
    for (let i = 0; i < 90; i++) stats.record(context({ latencyMs: 10 }));
    now += 10 * 60_000;
    for (let i = 0; i < 10; i++) stats.record(context({ latencyMs: 1000 }));
    const hour = stats.snapshot({ window: 'hour', dimensions: ['upstream'], limit: 10 });
    const upstream = (hour.upstreams as SeriesStats[])[0]!;
    expect(upstream.requests).toBe(100);
    near(upstream.latency_ms?.p50, 10);
    near(upstream.latency_ms?.p95, 1000);
    near(upstream.ttfb_ms?.p50, 5);
    const minute = stats.snapshot({ window: 'minute', dimensions: ['upstream'], limit: 10 });
    expect((minute.upstreams as SeriesStats[])[0]!.requests).toBe(10);
  });

  it('forgets what left the window', () => {
    let now = 1_700_000_000_000;
    const stats = new StatsCollector(() => now);
    stats.record(context({ latencyMs: 5 }));
    now += 61_000;
    const total = (window: 'minute' | 'hour' | 'day') =>
      (stats.snapshot({ window, dimensions: ['total'], limit: 1 }).total as SeriesStats).requests;
    expect([total('minute'), total('hour'), total('day')]).toEqual([0, 1, 1]);
    now += 60 * 60_000;
    expect([total('minute'), total('hour'), total('day')]).toEqual([0, 0, 1]);
    now += 24 * 60 * 60_000;
    expect(total('day')).toBe(0);
  });

  it('counts attempts per upstream and key, requests per route, client and model', () => {
    const stats = new StatsCollector(() => 1_700_000_000_000);
    stats.record(
      context({
        latencyMs: 20,
        client: 'team-a',
        model: 'gpt-4o',
        tokens: [5, 7],
        attempts: [
          { upstream: 'a', keyId: 'k1', key: 'sk-...1111', verdict: 'rate_limited' },
          { upstream: 'b', keyId: 'k2', key: 'sk-...2222', verdict: 'success' },
        ],
      }),
    );
    stats.record(context({ latencyMs: 20, verdict: 'client_error', client: 'team-a', model: 'gpt-4o' }));
    const report = stats.snapshot({
      window: 'minute',
      dimensions: ['total', 'upstream', 'key', 'route', 'client', 'model'],
      limit: 10,
    });
    const byName = (list: unknown) => Object.fromEntries((list as SeriesStats[]).map((s) => [s.name, s]));
    const upstreams = byName(report.upstreams);
    expect(upstreams.a).toMatchObject({ requests: 2, outcomes: { rate_limited: 1, client_error: 1 } });
    expect(upstreams.b).toMatchObject({
      requests: 1,
      outcomes: { success: 1 },
      tokens: { input: 5, output: 7 },
    });
    const keys = byName(report.keys);
    expect(keys['b/k2']).toMatchObject({ upstream: 'b', id: 'k2', key: 'sk-...2222', requests: 1 });
    expect(byName(report.routes).main).toMatchObject({
      requests: 2,
      outcomes: { success: 1, client_error: 1 },
    });
    expect(byName(report.clients)['team-a']).toMatchObject({ requests: 2, tokens: { total: 12 } });
    expect(byName(report.models)['gpt-4o']).toMatchObject({ requests: 2 });
    expect(report.total).toMatchObject({ requests: 2 });
  });

  it('counts requests the gateway answered itself as rejected', () => {
    const stats = new StatsCollector(() => 1_700_000_000_000);
    const ctx = new RequestContext('id', 'GET', '/v1/models', 'h', 'ip', '', performance.now(), {});
    ctx.status = 401;
    stats.record(ctx);
    const report = stats.snapshot({ window: 'minute', dimensions: ['total', 'route'], limit: 10 });
    expect(report.total).toMatchObject({ requests: 1, outcomes: { rejected: 1 } });
    expect(report.routes).toEqual([]);
  });
});
