import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { chatCompletion, type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';
import { eventually, sharedRedis } from './redis-helpers';

const KEY = 'sk-upstream-jobs-0001';

describe('active health checks and keep-alive pings run once per fleet', () => {
  let mock: MockUpstream;
  let fleet: TestGateway[] = [];
  let cleanUp: () => Promise<void> = async () => {};

  async function startFleet(upstream: Record<string, unknown>): Promise<TestGateway[]> {
    const redis = sharedRedis();
    cleanUp = redis.cleanUp;
    mock = await startMock((req, res) => {
      if (req.url === '/check') return sendJson(res, 500, { error: { message: 'down' } });
      sendJson(res, 200, chatCompletion('gpt-4o', 'hello'));
    });
    const config = {
      upstreams: [{ name: 'mock', url: mock.url, keys: [KEY], ...upstream }],
      state: { url: redis.url, prefix: redis.prefix, timeout: '10s' },
    } as ConfigInput;
    // Redis must be up before the first scheduled run, or each instance runs it on its own.
    fleet = await Promise.all([1, 2, 3].map(() => startTestGateway(config)));
    return fleet;
  }

  afterEach(async () => {
    await Promise.all(fleet.map((gw) => gw.stop(1000)));
    fleet = [];
    await mock.close();
    await cleanUp();
  });

  it('sends one keep-alive ping per interval from the whole fleet, not one per instance', async () => {
    const gateways = await startFleet({ keepalive: { interval: '1s', path: '/ping' } });
    const pings = () => mock.requests.filter((req) => req.url === '/ping').length;
    const sent = () => gateways.map((gw) => gw.monitors.keepalive.report()[0]?.sent ?? 0);
    const total = () => sent().reduce((a, b) => a + b, 0);
    await eventually(() => total() >= 3, 6_000);
    // Each instance ticked about three times by now: without the lock there would be ~9 pings.
    expect(sent().filter((n) => n > 0)).toHaveLength(1);
    // The mock may have seen one more, whose answer is still on its way.
    expect(pings() - total()).toBeGreaterThanOrEqual(0);
    expect(pings() - total()).toBeLessThanOrEqual(1);
  });

  it('runs a health check on one instance; its verdict reaches the others', async () => {
    const gateways = await startFleet({
      health_check: { interval: '1s', path: '/check', unhealthy_threshold: 2 },
    });
    const checks = () => mock.requests.filter((req) => req.url === '/check').length;
    await Promise.all(gateways.map((gw) => eventually(async () => !(await upstreamUsable(gw)), 6_000)));
    const runs = gateways.map((gw) => gw.monitors.checks.report()[0]?.checks ?? 0);
    expect(runs.filter((n) => n > 0)).toHaveLength(1);
    const total = runs.reduce((a, b) => a + b, 0);
    expect(checks() - total).toBeGreaterThanOrEqual(0);
    expect(checks() - total).toBeLessThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(3);
  });
});

async function upstreamUsable(gw: TestGateway): Promise<boolean | undefined> {
  const body = (await (await fetch(`${gw.url}/health`)).json()) as { upstreams: { usable: boolean }[] };
  return body.upstreams[0]?.usable;
}
