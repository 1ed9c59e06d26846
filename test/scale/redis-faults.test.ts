import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { closedPortUrl } from '../helpers/closed-port';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { parseMetrics } from '../helpers/prometheus';
import { eventually, OwnRedis } from './redis-helpers';

const ALICE = 'sk-sy-alice-limited-0123456789';
const BOB = 'sk-sy-bob-quota-0123456789abc';
const CAROL = 'sk-sy-carol-free-0123456789ab';
const T0 = Date.UTC(2026, 5, 1, 12);
const PASSWORD = 'redis-pass-word-7f3a91';

function chat(gw: TestGateway, key: string): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }),
  });
}

interface StateHealth {
  state: { backend: string; up: boolean; degraded: boolean };
}

async function state(gw: TestGateway): Promise<StateHealth['state']> {
  return ((await (await fetch(`${gw.url}/health`)).json()) as StateHealth).state;
}

async function stateUpMetric(gw: TestGateway): Promise<string | undefined> {
  const metrics = await admin(gw.url, 'GET', '/metrics');
  return parseMetrics(metrics.text).sample('switchyard_state_up', {});
}

describe('Redis faults', () => {
  let mock: MockUpstream;
  let gw: TestGateway | undefined;
  let redis: OwnRedis | undefined;

  async function start(url: string): Promise<TestGateway> {
    mock = await startMock(replyChat());
    gw = await startTestGateway(
      {
        upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-0001'] }],
        admin: { key: ADMIN_KEY },
        clients: [
          { name: 'alice', key: ALICE, limits: { rpm: 2 } },
          { name: 'bob', key: BOB, quota: { tokens: 100_000 } },
          { name: 'carol', key: CAROL },
        ],
        state: { url, prefix: 'faults' },
      },
      { now: () => T0 },
    );
    return gw;
  }

  afterEach(async () => {
    await gw?.stop(1000);
    gw = undefined;
    await mock.close();
    await redis?.kill();
    redis = undefined;
  });

  it('keeps serving when Redis dies under load: limits go local, quotas fail closed, and it comes back', async () => {
    redis = await OwnRedis.create();
    await redis.start();
    const gateway = await start(redis.url);
    await eventually(async () => (await state(gateway)).up, 5_000);
    expect((await chat(gateway, BOB)).status).toBe(200);
    expect(await stateUpMetric(gateway)).toBe('1');

    const load = Array.from({ length: 40 }, (_, i) => {
      if (i === 20) void redis?.kill();
      return chat(gateway, CAROL).then((r) => r.status);
    });
    expect(new Set(await Promise.all(load))).toEqual(new Set([200]));
    await eventually(async () => !(await state(gateway)).up, 5_000);
    expect(await state(gateway)).toMatchObject({ backend: 'redis', up: false, degraded: true });
    expect(await stateUpMetric(gateway)).toBe('0');

    expect((await chat(gateway, CAROL)).status).toBe(200);
    expect((await chat(gateway, ALICE)).status).toBe(200);
    expect((await chat(gateway, ALICE)).status).toBe(200);
    const limited = await chat(gateway, ALICE);
    expect(limited.status).toBe(429);
    expect((await errorOf(limited)).code).toBe('rate_limit_exceeded');
    const closed = await chat(gateway, BOB);
    expect(closed.status).toBe(429);
    expect(closed.headers.get('retry-after')).toBe('5');
    expect(await errorOf(closed)).toMatchObject({ code: 'quota_unavailable', type: 'insufficient_quota' });
    expect(gateway.logs.join('\n')).toContain('shared state (state.url) unreachable');

    await redis.start();
    await eventually(async () => (await state(gateway)).up, 10_000);
    expect((await chat(gateway, BOB)).status).toBe(200);
    expect(await stateUpMetric(gateway)).toBe('1');
    expect(gateway.logs.join('\n')).toContain('shared state (state.url) reachable again');
  });

  it('without state.url keeps everything in the process: no state in /health, no state metric', async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-0001'] }],
      admin: { key: ADMIN_KEY },
    });
    const health = (await (await fetch(`${gw.url}/health`)).json()) as Record<string, unknown>;
    expect(Object.keys(health).sort()).toEqual(['ready', 'routes', 'status', 'upstreams']);
    const metrics = await admin(gw.url, 'GET', '/metrics');
    expect(metrics.text).not.toContain('switchyard_state_');
  });

  it('starts and serves with Redis unreachable from the start, and never shows its password', async () => {
    const port = new URL(await closedPortUrl()).port;
    const gateway = await start(`redis://gateway:${PASSWORD}@127.0.0.1:${port}/0`);
    expect(await state(gateway)).toMatchObject({ up: false, degraded: true });
    expect((await chat(gateway, CAROL)).status).toBe(200);
    expect((await chat(gateway, ALICE)).status).toBe(200);
    expect((await errorOf(await chat(gateway, BOB))).code).toBe('quota_unavailable');
    const config = await admin<{ state: { url: string; prefix: string } }>(
      gateway.url,
      'GET',
      '/admin/config',
    );
    expect(config.body.state.prefix).toBe('faults');
    expect(config.body.state.url).toMatch(/^redis:\/\/gateway:.+@127\.0\.0\.1:\d+\/0$/);
    expect(config.text).not.toContain(PASSWORD);
    expect(gateway.logs.join('\n')).toContain('shared state (state.url) unreachable');
    gateway.logger.warn(`connecting with ${PASSWORD} failed`);
    expect(gateway.logs.join('\n')).not.toContain(PASSWORD);
  });
});
