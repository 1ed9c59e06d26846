import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, sendJson, startMock } from '../helpers/mock-upstream';

describe('where a retry goes', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function mock(handler: Parameters<typeof startMock>[0]): Promise<MockUpstream> {
    const m = await startMock(handler);
    cleanup.push(m.close);
    return m;
  }

  async function gateway(
    input: Parameters<typeof startTestGateway>[0],
    now?: () => number,
  ): Promise<TestGateway> {
    const gw = await startTestGateway(
      { retry: { backoff: 0, max_retry_after: 0 }, ...input },
      now ? { now } : {},
    );
    cleanup.push(() => gw.stop(1000));
    return gw;
  }

  it('tries another key of the same upstream first after a key-level verdict', async () => {
    const a = await mock((req, res) =>
      req.headers.authorization === 'Bearer sk-a1-key-000000001'
        ? sendJson(res, 429, { error: { message: 'limited' } }, { 'retry-after': '30' })
        : replyChat()(req, res),
    );
    const b = await mock(replyChat());
    const gw = await gateway({
      upstreams: [
        { name: 'a', url: a.url, keys: ['sk-a1-key-000000001', 'sk-a2-key-000000002'] },
        { name: 'b', url: b.url, keys: ['sk-b1-key-000000001'] },
      ],
    });
    const response = await fetch(`${gw.url}/v1/models`);
    expect(response.status).toBe(200);
    expect(a.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer sk-a1-key-000000001',
      'Bearer sk-a2-key-000000002',
    ]);
    expect(b.requests).toHaveLength(0);
  });

  it('leaves a keyless upstream after a key-level verdict instead of asking it again', async () => {
    const limited = await mock((_req, res) => sendJson(res, 429, { error: { message: 'slow down' } }));
    const other = await mock(replyChat());
    const gw = await gateway({
      upstreams: [
        { name: 'self-hosted', url: limited.url, provider: 'none' },
        { name: 'other', url: other.url, provider: 'none' },
      ],
      routes: [{ name: 'r', upstreams: ['self-hosted', 'other'], strategy: 'round-robin' }],
    });
    const response = await fetch(`${gw.url}/v1/models`);
    expect(response.status).toBe(200);
    expect(limited.requests).toHaveLength(1);
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
  });

  it('puts the attempt count and retry-after-ms on the gateway errors that follow attempts', async () => {
    const down = await mock((_req, res) => {
      res.destroy();
    });
    const gw = await gateway(
      {
        health: { eject_threshold: 1, eject_cooldown: '30s' },
        upstreams: [
          { name: 'x', url: down.url, keys: ['sk-x-key-000000001'] },
          { name: 'y', url: down.url, keys: ['sk-y-key-000000001'] },
        ],
      },
      () => Date.UTC(2026, 0, 1),
    );
    const failed = await fetch(`${gw.url}/v1/models`);
    expect(failed.status).toBe(502);
    expect(failed.headers.get('x-switchyard-attempts')).toBe('2');
    const unavailable = await fetch(`${gw.url}/v1/models`);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('30');
    // The gateway's clock stands still: the ejection has exactly its 30 s cooldown left.
    expect(unavailable.headers.get('retry-after-ms')).toBe('30000');
  });

  it('reports the whole upstream time of a held answer in Server-Timing', async () => {
    const slow = await mock(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"object":"list",');
      await new Promise((resolve) => setTimeout(resolve, 150));
      res.end('"data":[]}');
    });
    const gw = await gateway({ upstreams: [{ name: 's', url: slow.url, keys: ['sk-s-key-000000001'] }] });
    const response = await fetch(`${gw.url}/v1/models`);
    const timing = response.headers.get('server-timing')!;
    const upstream = Number(/upstream;dur=([\d.]+)/.exec(timing)![1]);
    const gatewayMs = Number(/gateway;dur=([\d.]+)/.exec(timing)![1]);
    expect(upstream).toBeGreaterThanOrEqual(140);
    expect(gatewayMs).toBeLessThan(upstream);
  });
});
