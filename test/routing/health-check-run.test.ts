import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, sendJson, startMock } from '../helpers/mock-upstream';

describe('POST /admin/health-checks/{upstream}/run', () => {
  let gw: TestGateway;
  let primary: MockUpstream;
  let primaryStatus = 200;
  let checks: number;
  let waiters: { count: number; resolve: () => void }[];

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00.000Z'));
    primaryStatus = 200;
    const chat = replyChat();
    primary = await startMock((req, res) => {
      if (req.url === '/status') return sendJson(res, primaryStatus, { status: primaryStatus });
      return chat(req, res);
    });
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      upstreams: [
        {
          name: 'primary',
          url: primary.url,
          keys: ['sk-primary-key-00001'],
          health_check: { path: '/status', interval: '10s', timeout: '2s', unhealthy_threshold: 1 },
        },
        { name: 'plain', url: primary.url },
      ],
      routes: [{ name: 'main', upstreams: ['primary', 'plain'] }],
    });
    checks = 0;
    waiters = [];
    gw.monitors.checks.listeners.push(() => {
      checks++;
      for (const waiter of waiters) if (checks >= waiter.count) waiter.resolve();
    });
  });

  afterEach(async () => {
    vi.useRealTimers();
    await gw.stop(1000);
    await primary.close();
  });

  const checksDone = (count: number) =>
    new Promise<void>((resolve) => {
      if (checks >= count) resolve();
      else waiters.push({ count, resolve });
    });

  it('runs the check at once, returns its result and updates the state and schedule', async () => {
    await vi.advanceTimersByTimeAsync(0);
    await checksDone(1);
    await vi.advanceTimersByTimeAsync(4_000);
    primaryStatus = 503;

    const run = await admin(gw.url, 'POST', '/admin/health-checks/primary/run');
    expect(run.status).toBe(200);
    expect(run.body).toEqual({
      upstream: 'primary',
      healthy: false,
      consecutive_successes: 0,
      consecutive_failures: 1,
      checks: 2,
      failures: 1,
      next_at: '2026-03-01T12:00:14.000Z',
      last: {
        at: '2026-03-01T12:00:04.000Z',
        ok: false,
        status: 503,
        ttfb_ms: expect.any(Number),
        error: 'status 503, expected 2xx',
      },
    });
    expect(primary.requests.filter((r) => r.url === '/status')).toHaveLength(2);

    const report = await admin<{ upstreams: unknown[] }>(gw.url, 'GET', '/admin/health-checks');
    expect(report.body.upstreams).toEqual([run.body]);

    // The check due at 12:00:10 was replaced by one an interval after the run, at 12:00:14.
    primaryStatus = 200;
    await vi.advanceTimersByTimeAsync(6_000);
    await vi.advanceTimersByTimeAsync(4_000);
    await checksDone(3);
    const after = await admin<{ upstreams: unknown[] }>(gw.url, 'GET', '/admin/health-checks');
    expect(after.body.upstreams).toEqual([
      expect.objectContaining({ checks: 3, consecutive_successes: 1, next_at: '2026-03-01T12:00:24.000Z' }),
    ]);
    expect(primary.requests.filter((r) => r.url === '/status')).toHaveLength(3);
  });

  it('answers 404 for an unknown upstream or one without a health check, and 401 without the admin key', async () => {
    for (const name of ['plain', 'nowhere']) {
      const res = await admin(gw.url, 'POST', `/admin/health-checks/${name}/run`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: {
          message: `Upstream "${name}" has no health check configured.`,
          type: 'invalid_request_error',
          param: null,
          code: 'resource_not_found',
        },
      });
    }
    const anonymous = await admin(gw.url, 'POST', '/admin/health-checks/primary/run', { key: null });
    expect(anonymous.status).toBe(401);
    expect(primary.requests.filter((r) => r.url === '/status')).toHaveLength(0);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await admin<{ paths: Record<string, Record<string, { summary: string }>> }>(
      gw.url,
      'GET',
      '/admin/openapi.json',
    );
    expect(doc.body.paths['/admin/health-checks/{upstream}/run']?.post?.summary).toBe(
      "Run one upstream's active health check now and return its state",
    );
  });
});
