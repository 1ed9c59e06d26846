import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, sendJson, startMock } from '../helpers/mock-upstream';

describe('upstream health, retries and failover', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function gateway(input: ConfigInput, now?: () => number): Promise<TestGateway> {
    // GET /v1/models is the probe request here: every call must reach an upstream, so no model list cache.
    const gw = await startTestGateway(
      { admin: { key: 'admin-key-0000001' }, models_cache_ttl: 0, ...input },
      now ? { now } : {},
    );
    cleanup.push(() => gw.stop(1000));
    return gw;
  }

  async function mock(handler: Parameters<typeof startMock>[0]): Promise<MockUpstream> {
    const m = await startMock(handler);
    cleanup.push(m.close);
    return m;
  }

  const get = (gw: TestGateway) => fetch(`${gw.url}/v1/models`);
  const health = async (gw: TestGateway) =>
    (
      (await (
        await fetch(`${gw.url}/admin/health`, { headers: { authorization: 'Bearer admin-key-0000001' } })
      ).json()) as {
        upstreams: { name: string; state: string; usable: boolean; ejections: number }[];
      }
    ).upstreams;

  it('fails over to another upstream on a 5xx before anything reached the client', async () => {
    const broken = await mock((_req, res) => sendJson(res, 503, { error: { message: 'down' } }));
    const good = await mock(replyChat());
    const gw = await gateway({
      retry: { backoff: 0 },
      upstreams: [
        { name: 'broken', url: broken.url, keys: ['sk-broken-00000001'] },
        { name: 'good', url: good.url, keys: ['sk-good-000000001'] },
      ],
    });
    const response = await get(gw);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(broken.requests).toHaveLength(1);
    expect(good.requests).toHaveLength(1);
  });

  it('ejects an upstream after a 503 burst, re-admits it through a trial, and grows the cooldown', async () => {
    const clock = { now: 1_700_000_000_000 };
    let aDown = true;
    const a = await mock((req, res) =>
      aDown ? sendJson(res, 503, { error: { message: 'overloaded' } }) : replyChat()(req, res),
    );
    const b = await mock(replyChat());
    const gw = await gateway(
      {
        retry: { backoff: 0 },
        health: { eject_threshold: 3, eject_cooldown: '30s' },
        upstreams: [
          { name: 'a', url: a.url, keys: ['sk-a-key-00000001'] },
          { name: 'b', url: b.url, keys: ['sk-b-key-00000001'] },
        ],
      },
      () => clock.now,
    );
    for (let i = 0; i < 10; i++) expect((await get(gw)).status).toBe(200);
    expect(a.requests).toHaveLength(3);
    expect((await health(gw))[0]).toMatchObject({ name: 'a', state: 'ejected', usable: false, ejections: 1 });

    clock.now += 30_001;
    expect((await get(gw)).status).toBe(200);
    expect((await get(gw)).status).toBe(200);
    expect(a.requests).toHaveLength(4);
    expect((await health(gw))[0]).toMatchObject({ state: 'ejected', ejections: 2 });
    clock.now += 30_001;
    for (let i = 0; i < 4; i++) await get(gw);
    expect(a.requests).toHaveLength(4);

    aDown = false;
    clock.now += 30_000;
    for (let i = 0; i < 4; i++) await get(gw);
    expect(a.requests.length).toBeGreaterThanOrEqual(6);
    expect((await health(gw))[0]).toMatchObject({ state: 'healthy', usable: true });
  });

  it('says so when the last healthy member is gone: 503 with Retry-After, the reason in the log', async () => {
    const clock = { now: 1_700_000_000_000 };
    const down = await mock((_req, res) => sendJson(res, 500, { error: { message: 'boom' } }));
    const gw = await gateway(
      {
        retry: { backoff: 0 },
        health: { eject_threshold: 1, eject_cooldown: '30s' },
        upstreams: [{ name: 'only', url: down.url, keys: ['sk-only-00000001'] }],
      },
      () => clock.now,
    );
    const first = await get(gw);
    expect(first.status).toBe(500);
    const second = await get(gw);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('30');
    const body = (await second.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('no_healthy_upstream');
    // The client gets a generic message; the upstream's name and state are for the operator.
    expect(body.error.message).toBe('No healthy upstream or key is available for this request.');
    expect(gw.logs.some((l) => l.includes('only: ejected'))).toBe(true);
    expect(down.requests).toHaveLength(1);
    expect(gw.logs.some((l) => l.includes('no usable upstream or key for this route'))).toBe(true);
  });

  it('stops after max_attempts and passes the last upstream answer through', async () => {
    const handler = (_req: unknown, res: Parameters<typeof sendJson>[0]) =>
      sendJson(res, 502, { error: { message: 'bad gateway upstream' } });
    const ups = await Promise.all([mock(handler), mock(handler), mock(handler), mock(handler)]);
    const gw = await gateway({
      retry: { max_attempts: 3, backoff: 0 },
      upstreams: ups.map((u, i) => ({ name: `u${i}`, url: u.url, keys: [`sk-u${i}-key-0000001`] })),
    });
    const response = await get(gw);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { message: 'bad gateway upstream' } });
    expect(response.headers.get('x-switchyard-attempts')).toBe('3');
    expect(ups.reduce((n, u) => n + u.requests.length, 0)).toBe(3);
  });

  it('waits out a short Retry-After when no other key is free, within the deadline', async () => {
    const arrivals: number[] = [];
    const single = await mock((req, res) => {
      arrivals.push(performance.now());
      if (req.n === 0) sendJson(res, 429, { error: { message: 'wait' } }, { 'retry-after-ms': '200' });
      else replyChat()(req, res);
    });
    const gw = await gateway({
      retry: { backoff: 0, max_retry_after: '1s' },
      upstreams: [{ name: 's', url: single.url, keys: ['sk-single-0000001'] }],
    });
    const response = await get(gw);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(single.requests).toHaveLength(2);
    // The second attempt left no earlier than the 200 ms the upstream asked for.
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(200);
  });

  it('takes an upstream out of rotation while active checks say it is down', async () => {
    const a = await mock(replyChat());
    const b = await mock(replyChat());
    const gw = await gateway({
      upstreams: [
        { name: 'a', url: a.url, keys: ['sk-a-00000000001'] },
        { name: 'b', url: b.url, keys: ['sk-b-00000000001'] },
      ],
    });
    const upstreamA = gw.gateway.runtime.upstreams.get('a')!;
    gw.registry.setProbeState(upstreamA, false, 'health check: HTTP 500', Date.now());
    for (let i = 0; i < 4; i++) await get(gw);
    expect(a.requests).toHaveLength(0);
    gw.registry.setProbeState(upstreamA, true, 'health check passed', Date.now());
    for (let i = 0; i < 4; i++) await get(gw);
    expect(a.requests).toHaveLength(2);
  });
});
