import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PingResult } from '../../src/health/keepalive';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';

const ADMIN = 'admin-key-for-tests-0002';
const MINUTE = 60_000;

describe('keep-alive pings', () => {
  let gw: TestGateway;
  let render: MockUpstream;
  let zeabur: MockUpstream;
  let pings: { upstream: string; result: PingResult }[];
  let waiters: { count: number; resolve: () => void }[];

  beforeEach(async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      now: new Date('2025-03-01T12:00:30Z'),
    });
    render = await startMock((_req, res) => sendJson(res, 200, { status: 'awake' }));
    zeabur = await startMock((req, res) => sendJson(res, req.n === 1 ? 503 : 200, { n: req.n }));
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [
        {
          name: 'render',
          url: `${render.url}/app`,
          keys: ['sk-render-key-000001'],
          keepalive: { interval: '3m', path: '/healthz', use_key: true, headers: { 'X-Ping': 'switchyard' } },
        },
        { name: 'zeabur', url: zeabur.url, keepalive: { cron: '*/3 * * * *', method: 'HEAD' } },
        { name: 'plain', url: zeabur.url },
      ],
    });
    pings = [];
    waiters = [];
    gw.monitors.keepalive.listeners.push((upstream, result) => {
      pings.push({ upstream, result });
      for (const waiter of waiters) if (pings.length >= waiter.count) waiter.resolve();
    });
  });

  afterEach(async () => {
    vi.useRealTimers();
    await gw.stop(1000);
    await render.close();
    await zeabur.close();
  });

  /** Resolves once `count` pings in all have been answered (real I/O, no sleeping). */
  const pingsDone = (count: number) =>
    new Promise<void>((resolve) => {
      if (pings.length >= count) resolve();
      else waiters.push({ count, resolve });
    });

  it('pings on an interval and on a cron schedule, and only then', async () => {
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(render.requests).toHaveLength(0);
    expect(zeabur.requests).toHaveLength(0);
    // 12:02:30 → 12:03:00: the cron's first slot.
    await vi.advanceTimersByTimeAsync(30_000);
    await pingsDone(1);
    expect(zeabur.requests).toHaveLength(1);
    expect(render.requests).toHaveLength(0);
    // 12:03:30: three minutes after start, the interval ping.
    await vi.advanceTimersByTimeAsync(30_000);
    await pingsDone(2);
    expect(render.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2 * MINUTE + 30_000);
    await pingsDone(3);
    await vi.advanceTimersByTimeAsync(30_000);
    await pingsDone(4);
    expect(zeabur.requests).toHaveLength(2);
    expect(render.requests).toHaveLength(2);
    expect(pings.map((p) => p.upstream)).toEqual(['zeabur', 'render', 'zeabur', 'render']);
  });

  it('sends the configured request, with a key from the pool when asked', async () => {
    await vi.advanceTimersByTimeAsync(2 * MINUTE + 30_000);
    await pingsDone(1);
    await vi.advanceTimersByTimeAsync(30_000);
    await pingsDone(2);
    const seen = render.requests[0]!;
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/app/healthz');
    expect(seen.headers.authorization).toBe('Bearer sk-render-key-000001');
    expect(seen.headers['x-ping']).toBe('switchyard');
    expect(zeabur.requests[0]!.method).toBe('HEAD');
    expect(zeabur.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('shows the results to the operator, failures included, keys masked', async () => {
    // Step from one scheduled ping to the next, letting each answer arrive (its timeout is
    // on the same fake clock).
    for (const [step, count] of [
      [2 * MINUTE + 30_000, 1],
      [30_000, 2],
      [2 * MINUTE + 30_000, 3],
      [30_000, 4],
    ] as const) {
      await vi.advanceTimersByTimeAsync(step);
      await pingsDone(count);
    }
    const response = await request(`${gw.url}/admin/keepalive`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const body = (await response.body.json()) as { upstreams: Record<string, unknown>[] };
    expect(body.upstreams.map((u) => u.upstream)).toEqual(['render', 'zeabur']);
    const zeaburReport = body.upstreams[1] as {
      schedule: unknown;
      sent: number;
      failed: number;
      next_at: string;
      history: PingResult[];
    };
    expect(zeaburReport.schedule).toEqual({ cron: '*/3 * * * *', timezone: null });
    expect(zeaburReport).toMatchObject({ sent: 2, failed: 1, next_at: '2025-03-01T12:09:00.000Z' });
    expect(zeaburReport.history.map((h) => [h.ok, h.status])).toEqual([
      [false, 503],
      [true, 200],
    ]);
    expect(body.upstreams[0]).toMatchObject({ schedule: { interval_ms: 3 * MINUTE }, sent: 2, failed: 0 });
    expect(JSON.stringify(body)).not.toContain('sk-render-key-000001');
  });

  it('stops with the gateway and follows configuration reloads', async () => {
    const { config } = gw.gateway.runtime;
    gw.gateway.applyConfig({
      ...config,
      upstreams: config.upstreams.map((u) => (u.name === 'zeabur' ? { ...u, keepalive: undefined } : u)),
    });
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    await pingsDone(1);
    expect(render.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    await pingsDone(2);
    expect(render.requests).toHaveLength(2);
    expect(zeabur.requests).toHaveLength(0);
    expect(gw.monitors.keepalive.report().map((r) => r.upstream)).toEqual(['render']);
  });
});
