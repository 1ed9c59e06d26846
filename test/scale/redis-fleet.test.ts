import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  chatCompletion,
  type MockHandler,
  type MockUpstream,
  type SeenRequest,
  sendJson,
  startMock,
} from '../helpers/mock-upstream';
import { eventually, sharedRedis } from './redis-helpers';

const ALICE = 'sk-sy-alice-0123456789abcdef';
const LIMITED_KEY = 'sk-upstream-limited-0001';
const GOOD_KEY = 'sk-upstream-good-0002';
const T0 = Date.UTC(2026, 5, 1, 12);

function chat(gw: TestGateway, key = ALICE): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

/** The limited key always answers 429 with a long Retry-After; the other one answers. */
function limitedKeyUpstream(req: SeenRequest, res: ServerResponse): void {
  if (req.headers.authorization === `Bearer ${LIMITED_KEY}`) {
    sendJson(
      res,
      429,
      { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
      {
        'retry-after': '60',
      },
    );
    return;
  }
  sendJson(res, 200, chatCompletion('gpt-4o', 'hello'));
}

describe('three gateways on one Redis', () => {
  let mock: MockUpstream;
  let fleet: TestGateway[] = [];
  let cleanUp: () => Promise<void> = async () => {};

  async function startFleet(
    keys: string[],
    extra: Partial<ConfigInput> = {},
    handler: MockHandler = limitedKeyUpstream,
  ): Promise<TestGateway[]> {
    const redis = sharedRedis();
    cleanUp = redis.cleanUp;
    mock = await startMock(handler);
    const config: ConfigInput = {
      upstreams: [{ name: 'mock', url: mock.url, keys }],
      // A loaded machine must not turn a slow answer into a local fallback here.
      state: { url: redis.url, prefix: redis.prefix, timeout: '10s' },
      ...extra,
    };
    const now = () => T0;
    fleet = await Promise.all([1, 2, 3].map(() => startTestGateway(config, { now })));
    await Promise.all(fleet.map((gw) => eventually(() => stateUp(gw), 5_000)));
    return fleet;
  }

  afterEach(async () => {
    await Promise.all(fleet.map((gw) => gw.stop(1000)));
    fleet = [];
    await mock.close();
    await cleanUp();
  });

  it('admits a client with rpm: 60 at most 60 times in the window, across all three', async () => {
    const gateways = await startFleet([GOOD_KEY], {
      clients: [{ name: 'alice', key: ALICE, limits: { rpm: 60 } }],
    });
    const statuses = await Promise.all(
      Array.from({ length: 90 }, (_, i) => chat(gateways[i % 3] as TestGateway).then((r) => r.status)),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    expect(admitted).toBeLessThanOrEqual(60);
    expect(admitted).toBeGreaterThanOrEqual(59);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(mock.requests.length).toBe(admitted);
  });

  it('takes a key that got a 429 on one instance out of the others within 100 ms', async () => {
    const gateways = await startFleet([LIMITED_KEY, GOOD_KEY]);
    const [a, b, c] = gateways as [TestGateway, TestGateway, TestGateway];
    for (let i = 0; i < 4 && !mock.requests.some(usedLimitedKey); i++)
      expect((await chat(a, 'none')).status).toBe(200);
    expect(mock.requests.some(usedLimitedKey)).toBe(true);
    const took = await Promise.all(
      [b, c].map((gw) => eventually(() => usableKeys(gw).then((n) => n === 1), 100)),
    );
    expect(Math.max(...took)).toBeLessThanOrEqual(100);
    const before = mock.requests.length;
    for (let i = 0; i < 6; i++) expect((await chat(i % 2 ? b : c, 'none')).status).toBe(200);
    expect(mock.requests.slice(before).filter(usedLimitedKey)).toEqual([]);
  });

  it('ejects an upstream on every instance once one of them ejected it', async () => {
    const failing: MockHandler = (_req, res) => sendJson(res, 500, { error: { message: 'down' } });
    const gateways = await startFleet([GOOD_KEY], { retry: { max_attempts: 1 } }, failing);
    const [a, b, c] = gateways as [TestGateway, TestGateway, TestGateway];
    for (let i = 0; i < 3; i++) expect((await chat(a, 'none')).status).toBeGreaterThanOrEqual(500);
    expect(await upstreamUsable(a)).toBe(false);
    await Promise.all([b, c].map((gw) => eventually(async () => !(await upstreamUsable(gw)), 100)));
    expect(mock.requests.length).toBe(3);
  });

  it('shares the response cache: one instance stores, another serves the hit, a third purges it', async () => {
    const gateways = await startFleet([GOOD_KEY], {
      admin: { key: ADMIN_KEY },
      clients: [{ name: 'alice', key: ALICE }],
      cache: { enabled: true },
    });
    const [a, b, c] = gateways as [TestGateway, TestGateway, TestGateway];
    expect((await chat(a)).headers.get('x-switchyard-cache')).toBe('miss');
    await eventually(async () => (await cacheEntries(b)) === 1, 2_000);
    const hit = await chat(b);
    expect(hit.headers.get('x-switchyard-cache')).toBe('hit');
    expect(
      ((await hit.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
    ).toBe('hello');
    expect(mock.requests.length).toBe(1);
    expect((await admin(c.url, 'DELETE', '/admin/cache?route=default')).body).toEqual({ purged: 1 });
    expect((await chat(b)).headers.get('x-switchyard-cache')).toBe('miss');
    expect(mock.requests.length).toBe(2);
  });
});

function usedLimitedKey(req: SeenRequest): boolean {
  return req.headers.authorization === `Bearer ${LIMITED_KEY}`;
}

interface Health {
  state?: { up: boolean };
  upstreams: { usable: boolean; keys: { usable: number } }[];
}

async function health(gw: TestGateway): Promise<Health> {
  return (await (await fetch(`${gw.url}/health`)).json()) as Health;
}

async function cacheEntries(gw: TestGateway): Promise<unknown> {
  return (await admin(gw.url, 'GET', '/admin/cache')).body.entries;
}

async function stateUp(gw: TestGateway): Promise<boolean> {
  return (await health(gw)).state?.up === true;
}

async function usableKeys(gw: TestGateway): Promise<number> {
  return (await health(gw)).upstreams[0]?.keys.usable ?? -1;
}

async function upstreamUsable(gw: TestGateway): Promise<boolean | undefined> {
  return (await health(gw)).upstreams[0]?.usable;
}
