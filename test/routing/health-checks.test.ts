import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, sendJson, startMock } from '../helpers/mock-upstream';
import { ProbeHealth } from '../helpers/probe-health';

const ADMIN = 'admin-key-for-tests-0003';

describe('active health checks and priority tiers', () => {
  let gw: TestGateway;
  let primary: MockUpstream;
  let standby: MockUpstream;
  let health: ProbeHealth;
  let primaryHealthy = true;
  let checks: { upstream: string; ok: boolean }[];
  let waiters: { count: number; resolve: () => void }[];

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    primaryHealthy = true;
    const chat = replyChat();
    primary = await startMock((req, res) => {
      if (req.url === '/status') return sendJson(res, primaryHealthy ? 200 : 503, { ok: primaryHealthy });
      return chat(req, res);
    });
    standby = await startMock(replyChat());
    health = new ProbeHealth();
    gw = await startTestGateway(
      {
        admin: { key: ADMIN },
        upstreams: [
          {
            name: 'primary',
            url: primary.url,
            keys: ['sk-primary-key-00001'],
            health_check: {
              path: '/status',
              interval: '10s',
              timeout: '2s',
              unhealthy_threshold: 2,
              healthy_threshold: 2,
            },
          },
          { name: 'standby', url: standby.url, priority: 1, weight: 50 },
        ],
        routes: [{ name: 'main', upstreams: ['primary', 'standby'], strategy: 'weighted-round-robin' }],
      },
      { health },
    );
    checks = [];
    waiters = [];
    gw.monitors.checks.listeners.push((upstream, ok) => {
      checks.push({ upstream, ok });
      for (const waiter of waiters) if (checks.length >= waiter.count) waiter.resolve();
    });
  });

  afterEach(async () => {
    vi.useRealTimers();
    await gw.stop(1000);
    await primary.close();
    await standby.close();
  });

  const checksDone = (count: number) =>
    new Promise<void>((resolve) => {
      if (checks.length >= count) resolve();
      else waiters.push({ count, resolve });
    });

  async function served(): Promise<string> {
    const before = primary.requests.filter((r) => r.url !== '/status').length;
    const response = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"gpt-4o","messages":[]}',
    });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
    return primary.requests.filter((r) => r.url !== '/status').length > before ? 'primary' : 'standby';
  }

  it('takes a failing upstream out after the threshold, uses the standby tier, and comes back', async () => {
    await vi.advanceTimersByTimeAsync(0);
    await checksDone(1);
    expect(await served()).toBe('primary');
    expect(primary.requests[0]!.headers.authorization).toBe('Bearer sk-primary-key-00001');

    primaryHealthy = false;
    await vi.advanceTimersByTimeAsync(10_000);
    await checksDone(2);
    expect(await served()).toBe('primary');
    await vi.advanceTimersByTimeAsync(10_000);
    await checksDone(3);
    expect(health.transitions).toEqual([
      {
        upstream: 'primary',
        healthy: false,
        reason: expect.stringContaining('failed 2 times in a row (last: status 503'),
      },
    ]);
    expect([await served(), await served(), await served()]).toEqual(['standby', 'standby', 'standby']);

    primaryHealthy = true;
    await vi.advanceTimersByTimeAsync(10_000);
    await checksDone(4);
    expect(await served()).toBe('standby');
    await vi.advanceTimersByTimeAsync(10_000);
    await checksDone(5);
    expect(health.transitions.at(-1)).toMatchObject({ upstream: 'primary', healthy: true });
    expect([await served(), await served()]).toEqual(['primary', 'primary']);

    const report = await request(`${gw.url}/admin/health-checks`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const body = (await report.body.json()) as { upstreams: Record<string, unknown>[] };
    expect(body.upstreams).toEqual([
      expect.objectContaining({
        upstream: 'primary',
        healthy: true,
        checks: 5,
        failures: 2,
        consecutive_successes: 2,
      }),
    ]);
  });

  it('counts a probe that does not answer in time as a failure', async () => {
    await vi.advanceTimersByTimeAsync(0);
    await checksDone(1);
    primary.handle(() => {
      // Never answers.
    });
    await vi.advanceTimersByTimeAsync(10_000);
    await vi.advanceTimersByTimeAsync(2_000);
    await checksDone(2);
    expect(checks[1]).toEqual({ upstream: 'primary', ok: false });
    expect(gw.monitors.checks.report()[0]!.last).toMatchObject({
      ok: false,
      error: 'no answer within 2000 ms',
    });
    expect(gw.gateway.upstreamStats.get('primary')!.probeFailures).toBe(1);
  });
});
