import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
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

const LIMITED_KEY = 'sk-upstream-limited-0001';
const GOOD_KEY = 'sk-upstream-good-0002';
const T0 = Date.UTC(2026, 5, 1, 12);

function chat(gw: TestGateway): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

/** The limited key always answers 429 with a long Retry-After; the other one answers. */
const limitedKeyUpstream: MockHandler = (req: SeenRequest, res: ServerResponse) => {
  if (req.headers.authorization === `Bearer ${LIMITED_KEY}`) {
    sendJson(
      res,
      429,
      { error: { message: 'Rate limit reached', type: 'requests' } },
      { 'retry-after': '60' },
    );
    return;
  }
  sendJson(res, 200, chatCompletion('gpt-4o', 'hello'));
};

const usedLimitedKey = (req: SeenRequest) => req.headers.authorization === `Bearer ${LIMITED_KEY}`;

describe('health kept in Redis across a restart', () => {
  let mock: MockUpstream;
  let running: TestGateway[] = [];
  let cleanUp: () => Promise<void> = async () => {};
  let config: ConfigInput;
  let now = T0;

  async function start(): Promise<TestGateway> {
    const gw = await startTestGateway(config, { now: () => now });
    running.push(gw);
    await eventually(async () => (await health(gw)).state?.up === true, 5_000);
    return gw;
  }

  async function setUp(handler: MockHandler, extra: Partial<ConfigInput> = {}): Promise<void> {
    const redis = sharedRedis();
    cleanUp = redis.cleanUp;
    mock = await startMock(handler);
    now = T0;
    config = {
      upstreams: [{ name: 'mock', url: mock.url, keys: [LIMITED_KEY, GOOD_KEY] }],
      state: { url: redis.url, prefix: redis.prefix, timeout: '10s' },
      ...extra,
    };
  }

  afterEach(async () => {
    await Promise.all(running.map((gw) => gw.stop(1000)));
    running = [];
    await mock.close();
    await cleanUp();
  });

  it('a gateway started after a key cooled on another one does not use that key', async () => {
    await setUp(limitedKeyUpstream);
    const a = await start();
    for (let i = 0; i < 4 && !mock.requests.some(usedLimitedKey); i++)
      expect((await chat(a)).status).toBe(200);
    expect(mock.requests.some(usedLimitedKey)).toBe(true);
    await a.stop(1000);
    running = [];
    const d = await start();
    await eventually(async () => (await health(d)).upstreams[0]?.keys.usable === 1, 1_000);
    const before = mock.requests.length;
    for (let i = 0; i < 6; i++) expect((await chat(d)).status).toBe(200);
    expect(mock.requests.slice(before).filter(usedLimitedKey)).toEqual([]);
    expect(mock.requests.length - before).toBe(6);
  });

  it('a gateway started after an upstream was ejected on another one does not send to it', async () => {
    const failing: MockHandler = (_req, res) => sendJson(res, 500, { error: { message: 'down' } });
    await setUp(failing, { retry: { max_attempts: 1 } });
    config = { ...config, upstreams: [{ name: 'mock', url: mock.url, keys: [GOOD_KEY] }] };
    const a = await start();
    for (let i = 0; i < 3; i++) expect((await chat(a)).status).toBeGreaterThanOrEqual(500);
    expect((await health(a)).upstreams[0]?.usable).toBe(false);
    const d = await start();
    await eventually(async () => (await health(d)).upstreams[0]?.usable === false, 1_000);
    expect((await chat(d)).status).toBe(503);
    expect(mock.requests.length).toBe(3);
  });
});

interface Health {
  state?: { up: boolean };
  upstreams: { usable: boolean; keys: { usable: number } }[];
}

async function health(gw: TestGateway): Promise<Health> {
  return (await (await fetch(`${gw.url}/health`)).json()) as Health;
}
