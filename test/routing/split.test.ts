import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { seededRandom } from '../helpers/seeded-random';

describe('traffic split', () => {
  const mocks: Record<string, MockUpstream> = {};
  let gw: TestGateway;

  beforeAll(async () => {
    for (const name of ['stable', 'canary', 'control', 'experiment'])
      mocks[name] = await startMock(replyChat());
    gw = await startTestGateway(
      {
        server: { trust_proxy: true },
        upstreams: Object.entries(mocks).map(([name, mock]) => ({ name, url: mock.url })),
        routes: [
          {
            name: 'ab',
            match: { path: '/v1/ab/**' },
            split: {
              header: 'X-Test-Group',
              sticky: false,
              groups: [
                { name: 'control', weight: 1, upstreams: ['control'] },
                { name: 'experiment', weight: 1, upstreams: ['experiment'] },
              ],
            },
          },
          {
            name: 'canary',
            split: {
              groups: [
                { name: 'stable', weight: 80, upstreams: ['stable'] },
                { name: 'canary', weight: 20, upstreams: ['canary'] },
              ],
            },
          },
        ],
      },
      { random: seededRandom(99) },
    );
  });

  afterAll(async () => {
    await gw.stop(1000);
    await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  });

  async function call(path: string, headers: Record<string, string>) {
    const response = await request(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"model":"gpt-4o","messages":[]}',
    });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
    return response.headers;
  }

  it('splits clients 80/20 (within ±5 % over 400 clients), every client sticky, the group echoed', async () => {
    const groups: Record<string, number> = { stable: 0, canary: 0 };
    const repeated: Record<string, number> = { stable: 0, canary: 0 };
    const oneClient = async (client: number) => {
      const ip = `10.0.${client >> 8}.${client & 255}`;
      const first = await call('/v1/chat/completions', { 'x-forwarded-for': ip });
      const group = first['x-switchyard-group'] as string;
      groups[group]!++;
      if (client % 8 !== 0) return;
      const again = await call('/v1/chat/completions', { 'x-forwarded-for': ip });
      expect(again['x-switchyard-group']).toBe(group);
      repeated[group]!++;
    };
    for (let batch = 0; batch < 400; batch += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => oneClient(batch + i)));
    }
    expect(Math.abs(groups.canary! / 400 - 0.2)).toBeLessThan(0.05);
    expect(mocks.canary!.requests).toHaveLength(groups.canary! + repeated.canary!);
    expect(mocks.stable!.requests).toHaveLength(groups.stable! + repeated.stable!);
  });

  it('follows X-Test-Group, echoes it, and splits unassigned clients at random', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call('/v1/ab/x', { 'x-test-group': 'experiment' }))['x-test-group']).toBe('experiment');
      expect((await call('/v1/ab/x', { 'x-test-group': 'control' }))['x-test-group']).toBe('control');
    }
    expect(mocks.experiment!.requests).toHaveLength(5);
    expect(mocks.control!.requests).toHaveLength(5);
    const unassigned: Record<string, number> = { control: 0, experiment: 0 };
    for (let i = 0; i < 200; i++) unassigned[(await call('/v1/ab/x', {}))['x-test-group'] as string]!++;
    expect(Math.abs(unassigned.control! / 200 - 0.5)).toBeLessThan(0.1);
  });
});
