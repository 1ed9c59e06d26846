import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { StrategyName } from '../../src/config/schema/route';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { seededRandom } from '../helpers/seeded-random';

const ADMIN = 'admin-key-for-tests-0001';

/** A mock that answers after `delayMs` (the slow upstream). */
async function delayedMock(delayMs: number): Promise<MockUpstream> {
  const reply = replyChat();
  return startMock(async (req, res) => {
    await sleep(delayMs);
    await reply(req, res);
  });
}

describe('strategies against real upstreams', () => {
  let gw: TestGateway | undefined;
  let mocks: MockUpstream[] = [];

  afterEach(async () => {
    await gw?.stop(1000);
    await Promise.all(mocks.map((mock) => mock.close()));
    gw = undefined;
    mocks = [];
  });

  async function start(strategy: StrategyName, slowDelayMs: number, extra: Record<string, unknown> = {}) {
    const fast = await startMock(replyChat());
    const slow = await delayedMock(slowDelayMs);
    mocks = [fast, slow];
    gw = await startTestGateway(
      {
        admin: { key: ADMIN },
        upstreams: [
          { name: 'fast', url: fast.url },
          { name: 'slow', url: slow.url },
        ],
        routes: [{ name: 'all', upstreams: ['fast', 'slow'], strategy, ...extra }],
      },
      { random: seededRandom(17) },
    );
    return { fast, slow, gw };
  }

  async function send(headers: Record<string, string> = {}) {
    const response = await request(`${gw!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"model":"gpt-4o","messages":[]}',
    });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
  }

  it('lowest-latency moves the traffic to the faster upstream and ranks it first', async () => {
    const { fast, slow } = await start('lowest-latency', 250);
    for (let i = 0; i < 40; i++) await send();
    // Each is tried once while unmeasured; after that only exploration (5 %) reaches "slow".
    expect(slow.requests.length).toBeLessThanOrEqual(5);
    expect(fast.requests.length).toBeGreaterThanOrEqual(35);
    const ranking = await request(`${gw!.url}/admin/upstreams/ranking`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const body = (await ranking.body.json()) as { upstreams: { name: string; latency: { p50: number } }[] };
    expect(body.upstreams.map((u) => u.name)).toEqual(['fast', 'slow']);
    expect(body.upstreams[1]!.latency.p50).toBeGreaterThanOrEqual(250);
  });

  it('least-connections sends most concurrent traffic to the upstream that frees its connections first', async () => {
    const { fast, slow } = await start('least-connections', 150);
    const worker = async () => {
      for (let i = 0; i < 5; i++) await send();
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(fast.requests.length + slow.requests.length).toBe(30);
    expect(fast.requests.length).toBeGreaterThan(slow.requests.length * 2);
  });

  it('consistent-hash keeps each session on one upstream (sticky by header)', async () => {
    const { fast, slow } = await start('consistent-hash', 0, {
      hash: { key: 'header', header: 'x-session-id' },
    });
    const homes = new Map<string, string>();
    for (let session = 0; session < 12; session++) {
      for (let i = 0; i < 3; i++) {
        const before = fast.requests.length;
        await send({ 'x-session-id': `session-${session}` });
        const home = fast.requests.length > before ? 'fast' : 'slow';
        expect(homes.get(`${session}`) ?? home).toBe(home);
        homes.set(`${session}`, home);
      }
    }
    expect(new Set(homes.values())).toEqual(new Set(['fast', 'slow']));
    expect(fast.requests.length + slow.requests.length).toBe(36);
  });
});
