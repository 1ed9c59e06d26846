import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { chatCompletion, type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';
import { eventually, sharedRedis } from './redis-helpers';

function chat(gw: TestGateway): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('per-key and per-IP limits of three gateways on one Redis: a share each', () => {
  let mock: MockUpstream;
  let fleet: TestGateway[] = [];
  let cleanUp: () => Promise<void> = async () => {};

  async function startFleet(extra: Partial<ConfigInput>, key: Record<string, unknown> = {}) {
    const redis = sharedRedis();
    cleanUp = redis.cleanUp;
    mock = await startMock((_req, res) => sendJson(res, 200, chatCompletion('gpt-4o', 'hello')));
    const config = {
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-share-0001'], ...key }],
      state: { url: redis.url, prefix: redis.prefix, timeout: '10s' },
      ...extra,
    } as ConfigInput;
    fleet = await Promise.all([1, 2, 3].map(() => startTestGateway(config)));
    // Each instance counts the fleet from its heartbeats (every 5 s).
    await Promise.all(fleet.map((gw) => eventually(async () => (await instances(gw)) === 3, 7_000)));
    return fleet;
  }

  afterEach(async () => {
    await Promise.all(fleet.map((gw) => gw.stop(1000)));
    fleet = [];
    await mock.close();
    await cleanUp();
  });

  it('key_limits rpm 6 over three instances: each sends 2, the fleet 6', async () => {
    const gateways = await startFleet({ retry: { max_attempts: 1 } }, { key_limits: { rpm: 6 } });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await chat(gateways[i % 3] as TestGateway)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    expect(mock.requests.length).toBe(6);
  }, 20_000);

  it('ip_limit 9 requests over three instances: each admits 3', async () => {
    const gateways = await startFleet({ ip_limit: { requests: 9, window: '1m', block: '1s' } });
    const statuses = [];
    for (let i = 0; i < 15; i++) statuses.push((await chat(gateways[i % 3] as TestGateway)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(mock.requests.length).toBe(9);
  }, 20_000);
});

async function instances(gw: TestGateway): Promise<number | undefined> {
  const body = (await (await fetch(`${gw.url}/health`)).json()) as { state?: { instances: number } };
  return body.state?.instances;
}
