import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { chatCompletion, type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';
import { eventually, sharedRedis } from './redis-helpers';

const KEYS = ['sk-upstream-rot-0001', 'sk-upstream-rot-0002', 'sk-upstream-rot-0003'];

function chat(gw: TestGateway): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('rotation cursors shared by three gateways on one Redis', () => {
  let mocks: MockUpstream[] = [];
  let fleet: TestGateway[] = [];
  let cleanUp: () => Promise<void> = async () => {};

  async function startFleet(
    extra: (urls: string[]) => Partial<ConfigInput>,
    upstreams: number,
  ): Promise<TestGateway[]> {
    const redis = sharedRedis();
    cleanUp = redis.cleanUp;
    mocks = await Promise.all(
      Array.from({ length: upstreams }, () =>
        startMock((_req, res) => sendJson(res, 200, chatCompletion('gpt-4o', 'hello'))),
      ),
    );
    const config: ConfigInput = {
      ...extra(mocks.map((mock) => mock.url)),
      state: { url: redis.url, prefix: redis.prefix, timeout: '10s' },
    } as ConfigInput;
    fleet = await Promise.all([1, 2, 3].map(() => startTestGateway(config)));
    await Promise.all(
      fleet.map((gw) => eventually(() => gw.gateway.healthDetails.length > 0 && stateUp(gw), 5_000)),
    );
    return fleet;
  }

  afterEach(async () => {
    await Promise.all(fleet.map((gw) => gw.stop(1000)));
    fleet = [];
    await Promise.all(mocks.map((mock) => mock.close()));
    await cleanUp();
  });

  it('sends 30 requests spread over the gateways to each of three upstreams 10 times (round robin)', async () => {
    const gateways = await startFleet(
      (urls) => ({
        upstreams: urls.map((url, i) => ({ name: `u${i}`, url, keys: [KEYS[i]!] })),
        routes: [{ name: 'all', upstreams: ['u0', 'u1', 'u2'], strategy: 'round-robin' }],
      }),
      3,
    );
    // Ten in a row through each: rotating locally, each gateway would send 4, 3, 3 (12, 9, 9 in all).
    for (let i = 0; i < 30; i++)
      expect((await chat(gateways[Math.floor(i / 10)] as TestGateway)).status).toBe(200);
    expect(mocks.map((mock) => mock.requests.length)).toEqual([10, 10, 10]);
  });

  it('keeps weighted round robin exact across the fleet (weights 3:2:1, 30 requests → 15, 10, 5)', async () => {
    const gateways = await startFleet(
      (urls) => ({
        upstreams: urls.map((url, i) => ({ name: `u${i}`, url, keys: [KEYS[i]!], weight: 3 - i })),
        routes: [{ name: 'weighted', upstreams: ['u0', 'u1', 'u2'], strategy: 'weighted-round-robin' }],
      }),
      3,
    );
    // Rotating locally, ten through each gateway would give 5, 3, 2 each (15, 9, 6 in all).
    for (let i = 0; i < 30; i++)
      expect((await chat(gateways[Math.floor(i / 10)] as TestGateway)).status).toBe(200);
    expect(mocks.map((mock) => mock.requests.length)).toEqual([15, 10, 5]);
  });

  it('rotates one upstream’s keys evenly across the fleet (3 keys, 30 requests → 10 each)', async () => {
    const gateways = await startFleet(
      (urls) => ({ upstreams: [{ name: 'one', url: urls[0]!, keys: KEYS }] }),
      1,
    );
    // Concurrently, ten through each: rotating locally, each would send 4, 3, 3 (12, 9, 9 in all).
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => chat(gateways[i % 3] as TestGateway).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const byKey = KEYS.map(
      (key) => mocks[0]!.requests.filter((req) => req.headers.authorization === `Bearer ${key}`).length,
    );
    expect(byKey).toEqual([10, 10, 10]);
  });
});

async function stateUp(gw: TestGateway): Promise<boolean> {
  const body = (await (await fetch(`${gw.url}/health`)).json()) as { state?: { up: boolean } };
  return body.state?.up === true;
}
