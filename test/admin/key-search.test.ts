import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const COUNT = 2000;
const keyAt = (i: number) => `sk-find-${String(i).padStart(8, '0')}-abcdefgh${String(i).padStart(4, '0')}`;

interface KeyPage {
  readonly total: number;
  readonly keys: { id: string; key: string }[];
}

describe("searching an upstream's keys", () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({ admin: { key: ADMIN_KEY } });
    await admin(gw.url, 'POST', '/admin/upstreams', { json: { name: 'pool', url: mock.url } });
    const keys = Array.from({ length: COUNT }, (_, i) => keyAt(i));
    expect((await admin(gw.url, 'POST', '/admin/upstreams/pool/keys', { json: keys })).status).toBe(201);
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  it('finds keys by their masked form or their id, masked in the answer', async () => {
    const found = await admin<KeyPage>(gw.url, 'GET', '/admin/upstreams/pool/keys?q=...1234');
    expect(found.body.total).toBe(1);
    expect(found.body.keys[0]!.key).toBe('sk-...1234');
    const id = found.body.keys[0]!.id;
    const byId = await admin<KeyPage>(gw.url, 'GET', `/admin/upstreams/pool/keys?q=${id}`);
    expect(byId.body.keys).toEqual([expect.objectContaining({ id, key: 'sk-...1234' })]);
    const many = await admin<KeyPage>(gw.url, 'GET', '/admin/upstreams/pool/keys?q=...12&limit=5');
    expect(many.body.total).toBe(100); // the keys ending 1200 to 1299
    expect(many.body.keys).toHaveLength(5);
    const none = await admin<KeyPage>(gw.url, 'GET', '/admin/upstreams/pool/keys?q=zzzz');
    expect(none.body.total).toBe(0);
    expect(found.text + byId.text + many.text).not.toContain('sk-find-');
  });

  it('gives the health of a page of keys by their ids', async () => {
    const page = await admin<KeyPage>(gw.url, 'GET', '/admin/upstreams/pool/keys?offset=10&limit=3');
    const ids = page.body.keys.map((k) => k.id);
    const health = await admin<{ keys: { id: string; state: string }[] }>(
      gw.url,
      'GET',
      `/admin/keys?upstream=pool&ids=${ids.join(',')},000000000000`,
    );
    expect(health.body.keys.map((k) => [k.id, k.state])).toEqual(ids.map((id) => [id, 'active']));
  });
});
