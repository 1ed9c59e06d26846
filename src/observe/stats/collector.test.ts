import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../core/context';
import type { AttemptRecord } from '../../health/tracker';
import type { Verdict } from '../../health/verdict';
import type { Route } from '../../routing/route';
import type { Upstream } from '../../routing/upstream';
import { MAX_SERIES_PER_SLOT, type SeriesStats, StatsCollector, type WindowName } from './collector';

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

  it('gives the window slot by slot for charts, an empty slot where nothing happened', () => {
    let now = 1_700_000_000_000; // 22:13:20 UTC: slot of 5 min starting 22:10
    const stats = new StatsCollector(() => now);
    stats.record(context({ latencyMs: 10, model: 'm1' }));
    stats.record(context({ latencyMs: 10, model: 'm1' }));
    now += 10 * 60_000;
    stats.record(context({ latencyMs: 500, model: 'm2', verdict: 'rate_limited' }));
    const timeline = stats.timeline({ window: 'hour', dimensions: ['total', 'model'], limit: 10 });
    const slots = timeline.slots as { start: string; total: SeriesStats; models: SeriesStats[] }[];
    expect(timeline.resolution_seconds).toBe(300);
    expect(slots).toHaveLength(12);
    expect(slots.at(-1)!.start).toBe('2023-11-14T22:20:00.000Z');
    expect(slots.at(-3)!.start).toBe('2023-11-14T22:10:00.000Z');
    expect(slots.at(-3)!.total).toMatchObject({ requests: 2, outcomes: { success: 2 } });
    expect(slots.at(-3)!.models.map((m) => [m.name, m.requests])).toEqual([['m1', 2]]);
    expect(slots.at(-2)!.total.requests).toBe(0);
    expect(slots.at(-2)!.models).toEqual([]);
    expect(slots.at(-1)!.total).toMatchObject({ requests: 1, outcomes: { rate_limited: 1 } });
    near(slots.at(-1)!.total.latency_ms?.p50, 500);
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

  describe('bounded series', () => {
    const models = (stats: StatsCollector, window: WindowName) =>
      stats.snapshot({ window, dimensions: ['model'], limit: 1_000_000 }).models as SeriesStats[];

    it('keeps at most the cap of model names per slot, however many clients invent', () => {
      const stats = new StatsCollector(() => 1_700_000_000_000);
      const names = 5 * MAX_SERIES_PER_SLOT;
      for (let i = 0; i < names; i++) {
        stats.record(context({ latencyMs: 1, model: `random-${Math.random().toString(36).slice(2)}-${i}` }));
      }
      for (const window of ['minute', 'hour', 'day'] as const) {
        const series = models(stats, window);
        expect(series).toHaveLength(MAX_SERIES_PER_SLOT + 1);
        expect(series[0]).toMatchObject({ name: '(other)', requests: names - MAX_SERIES_PER_SLOT });
        expect(series.reduce((sum, s) => sum + s.requests, 0)).toBe(names);
      }
    });

    it('always keeps the model names the configuration knows; a huge name counts as other', () => {
      const stats = new StatsCollector(() => 1_700_000_000_000, { maxSeries: 3 });
      stats.setKnownModels(new Set(['gpt-4o']));
      for (const model of ['a', 'b', 'c', 'd', 'e', 'gpt-4o', 'gpt-4o', 'x'.repeat(10_000)]) {
        stats.record(context({ latencyMs: 1, model }));
      }
      const byName = Object.fromEntries(models(stats, 'hour').map((s) => [s.name, s.requests]));
      expect(byName).toEqual({ a: 1, b: 1, c: 1, '(other)': 3, 'gpt-4o': 2 });
    });

    it('caps keys and clients per slot too, and starts again with the next slot', () => {
      let now = 1_700_000_000_000;
      const stats = new StatsCollector(() => now, { maxSeries: 2 });
      const burst = () => {
        for (let i = 0; i < 5; i++) {
          stats.record(context({ latencyMs: 1, client: `c${i}`, attempts: [{ keyId: `k${i}` }] }));
        }
      };
      burst();
      const minute = stats.snapshot({ window: 'minute', dimensions: ['key', 'client'], limit: 100 });
      expect((minute.keys as SeriesStats[]).map((s) => [s.name, s.requests])).toEqual([
        ['(other)', 3],
        ['a/k0', 1],
        ['a/k1', 1],
      ]);
      expect((minute.clients as SeriesStats[]).map((s) => s.name)).toEqual(['(other)', 'c0', 'c1']);
      now += 10_000;
      burst();
      const next = stats.snapshot({ window: 'minute', dimensions: ['client'], limit: 100 });
      expect((next.clients as SeriesStats[]).map((s) => [s.name, s.requests])).toEqual([
        ['(other)', 6],
        ['c0', 2],
        ['c1', 2],
      ]);
    });
  });
});
