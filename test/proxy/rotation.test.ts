import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

describe('key and upstream rotation', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function twoUpstreams(): Promise<{ a: MockUpstream; b: MockUpstream; gw: TestGateway }> {
    const a = await startMock(replyChat());
    const b = await startMock(replyChat());
    const gw = await startTestGateway({
      upstreams: [
        { name: 'a', url: a.url, keys: ['sk-a-key-one-0001', 'sk-a-key-two-0002'] },
        { name: 'b', url: b.url, keys: ['sk-b-key-one-0001', 'sk-b-key-two-0002'] },
      ],
    });
    cleanup.push(a.close, b.close, () => gw.stop(1000));
    return { a, b, gw };
  }

  it('spreads requests evenly over 2 upstreams x 2 keys', async () => {
    const { a, b, gw } = await twoUpstreams();
    const client = gw.client();
    for (let i = 0; i < 40; i++) {
      await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `${i}` }] });
    }
    const counts = new Map<string, number>();
    for (const req of [...a.requests, ...b.requests]) {
      const key = String(req.headers.authorization);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(a.requests).toHaveLength(20);
    expect(b.requests).toHaveLength(20);
    expect([...counts.values()]).toEqual([10, 10, 10, 10]);
  });

  it('starts at key_start_index and can rotate at random', async () => {
    const mock = await startMock(replyChat());
    const sequence = [0.9, 0.1, 0.5];
    let i = 0;
    const gw = await startTestGateway(
      {
        upstreams: [
          {
            name: 'first',
            url: mock.url,
            keys: ['sk-k0-000000000', 'sk-k1-111111111', 'sk-k2-222222222'],
            key_start_index: 2,
          },
        ],
      },
      { random: () => sequence[i++ % sequence.length]! },
    );
    cleanup.push(mock.close, () => gw.stop(1000));
    await gw
      .client()
      .models.list()
      .catch(() => undefined);
    expect(mock.requests[0]!.headers.authorization).toBe('Bearer sk-k2-222222222');

    const randomMock = await startMock(replyChat());
    const randomGw = await startTestGateway(
      {
        upstreams: [
          {
            name: 'r',
            url: randomMock.url,
            keys: ['sk-k0-000000000', 'sk-k1-111111111', 'sk-k2-222222222'],
            key_rotation: 'random',
          },
        ],
        models_cache_ttl: 0, // each GET /v1/models takes a key
      },
      { random: () => sequence[i++ % sequence.length]! },
    );
    cleanup.push(randomMock.close, () => randomGw.stop(1000));
    i = 0;
    for (let n = 0; n < 3; n++) await fetch(`${randomGw.url}/v1/models`).then((r) => r.arrayBuffer());
    expect(randomMock.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer sk-k2-222222222',
      'Bearer sk-k0-000000000',
      'Bearer sk-k1-111111111',
    ]);
  });

  it('goes on with the key rotation after a configuration change instead of starting over', async () => {
    const mock = await startMock(replyChat());
    const keys = ['sk-k0-000000000', 'sk-k1-111111111', 'sk-k2-222222222'];
    const gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      upstreams: [{ name: 'main', url: mock.url, keys }],
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    const chat = () =>
      gw.client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await chat();
    await chat();
    const route = { name: 'added', match: { model: 'other' }, upstreams: ['main'] };
    expect((await admin(gw.url, 'POST', '/admin/routes', { json: route })).status).toBe(201);
    await chat();
    await admin(gw.url, 'DELETE', '/admin/routes/added');
    await chat();
    expect(mock.requests.map((r) => r.headers.authorization)).toEqual(
      [0, 1, 2, 0].map((i) => `Bearer ${keys[i]}`),
    );
  });
});
