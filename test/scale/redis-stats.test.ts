import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { chatCompletion, type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';
import { eventually, sharedRedis } from './redis-helpers';

const ALICE = 'sk-sy-alice-0123456789abcdef';

function chat(gw: TestGateway): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

interface Series {
  name: string;
  requests: number;
  outcomes: Record<string, number>;
  latency_ms: { p50: number } | null;
  tokens: { total: number };
}

interface Report {
  scope?: string;
  instances?: number;
  total: Series;
  clients: Series[];
  upstreams: Series[];
  keys: (Series & { key: string })[];
}

describe('statistics of three gateways on one Redis', () => {
  let mock: MockUpstream;
  let fleet: TestGateway[] = [];
  let cleanUp: () => Promise<void> = async () => {};

  afterEach(async () => {
    await Promise.all(fleet.map((gw) => gw.stop(1000)));
    fleet = [];
    await mock.close();
    await cleanUp();
  });

  it('GET /admin/stats?scope=fleet sums every instance; the default stays this instance', async () => {
    const redis = sharedRedis();
    cleanUp = redis.cleanUp;
    mock = await startMock((_req, res) => sendJson(res, 200, chatCompletion('gpt-4o', 'hello')));
    const config: ConfigInput = {
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-stats-0001'] }],
      clients: [{ name: 'alice', key: ALICE }],
      admin: { key: ADMIN_KEY },
      state: { url: redis.url, prefix: redis.prefix, timeout: '10s' },
    };
    fleet = await Promise.all([1, 2, 3].map(() => startTestGateway(config)));
    const [a, b, c] = fleet as [TestGateway, TestGateway, TestGateway];
    await Promise.all(
      fleet.map((gw) => eventually(async () => (await health(gw)).state?.up === true, 5_000)),
    );
    const spread = [...Array(12).fill(a), ...Array(9).fill(b), ...Array(9).fill(c)] as TestGateway[];
    const statuses = await Promise.all(spread.map((gw) => chat(gw).then((r) => r.status)));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const fleetStats = async () =>
      (await admin<Report>(c.url, 'GET', '/admin/stats?scope=fleet&window=minute')).body;
    await eventually(async () => (await fleetStats()).total.requests === 30, 3_000);
    const report = await fleetStats();
    expect(report.scope).toBe('fleet');
    expect(report.total.outcomes).toEqual({ success: 30 });
    expect(report.clients.map((s) => [s.name, s.requests])).toEqual([['alice', 30]]);
    expect(report.upstreams.map((s) => [s.name, s.requests])).toEqual([['mock', 30]]);
    expect(report.keys[0]?.key).toBe('sk-...0001');
    expect(report.keys[0]?.requests).toBe(30);
    expect(report.total.latency_ms?.p50).toBeGreaterThan(0);
    const tokensPerRequest = (await admin<Report>(a.url, 'GET', '/admin/stats?window=minute')).body;
    expect(tokensPerRequest.total.requests).toBe(12);
    expect(report.total.tokens.total).toBe((tokensPerRequest.total.tokens.total / 12) * 30);
    expect((await admin<Report>(c.url, 'GET', '/admin/stats?window=minute')).body.total.requests).toBe(9);
    expect(
      (await admin<Report>(b.url, 'GET', '/admin/stats?window=hour&scope=fleet')).body.total.requests,
    ).toBe(30);
  });

  it('answers 400 to scope=fleet without state.url, and to an unknown scope', async () => {
    mock = await startMock((_req, res) => sendJson(res, 200, chatCompletion('gpt-4o', 'hello')));
    const alone = await startTestGateway({
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-stats-0001'] }],
      admin: { key: ADMIN_KEY },
    });
    fleet = [alone];
    const fleetScope = await admin(alone.url, 'GET', '/admin/stats?scope=fleet');
    expect(fleetScope.status).toBe(400);
    expect(JSON.stringify(fleetScope.body)).toContain('scope: fleet needs shared state (state.url)');
    expect((await admin(alone.url, 'GET', '/admin/stats?scope=world')).status).toBe(400);
  });
});

async function health(gw: TestGateway): Promise<{ state?: { up: boolean } }> {
  return (await (await fetch(`${gw.url}/health`)).json()) as { state?: { up: boolean } };
}
