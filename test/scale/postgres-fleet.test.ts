import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../helpers/admin';
import type { TestGateway } from '../helpers/gateway';
import { keyEcho, type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { PG_URL, postgresAvailable, testSchema } from '../helpers/postgres';
import { schemaUrl, startFleetGateway, within } from '../helpers/postgres-fleet';

const KEY = 'sk-fleet-key-000000000001';
const CLIENT_TOKEN = 'sk-client-token-fleet-0000001';

describe.runIf(await postgresAvailable())('three gateways on one PostgreSQL store', () => {
  const schema = testSchema();
  let mock: MockUpstream;
  let fleet: TestGateway[] = [];

  beforeAll(async () => {
    await schema.create();
    mock = await startMock(replyChat());
    // Trust auth ignores the password; it is there to be masked.
    const base = new URL(PG_URL);
    base.password = 'pw-fleet-secret-0001';
    const url = schemaUrl(schema.name, base.toString());
    // One after the other would hide a migration race: all three migrate at once.
    fleet = await Promise.all([startFleetGateway(url), startFleetGateway(url), startFleetGateway(url)]);
  });

  afterAll(async () => {
    await Promise.all(fleet.map((gw) => gw.stop(1000)));
    await mock?.close();
    await schema.drop();
  });

  it('serves a route added through A on B and C within a second', async () => {
    const [a, b, c] = fleet as [TestGateway, TestGateway, TestGateway];
    const made = await admin(a.url, 'POST', '/admin/upstreams', {
      json: { name: 'fleet-up', url: mock.url, keys: [KEY] },
    });
    expect(made.status).toBe(201);
    expect(
      (await admin(a.url, 'POST', '/admin/routes', { json: { name: 'fleet', upstreams: ['fleet-up'] } }))
        .status,
    ).toBe(201);
    for (const gw of [b, c]) {
      const took = await within(1000, async () => gw.gateway.runtime.routes.some((r) => r.name === 'fleet'));
      expect(took, 'route applied within 1 s').toBeDefined();
      const reply = await gw
        .client()
        .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
      expect(reply.choices[0]!.message.content).toBe(keyEcho(`Bearer ${KEY}`));
    }
  });

  it('shows a request made through A in C’s request log', async () => {
    const [a, , c] = fleet as [TestGateway, TestGateway, TestGateway];
    await within(1000, async () => a.gateway.runtime.routes.some((r) => r.name === 'fleet'));
    const reply = await a.client().chat.completions.create({
      model: 'from-a',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reply.model).toBe('from-a');
    const found = await within(2000, async () => {
      const page = await admin<{ data: { model: string; path: string }[] }>(
        c.url,
        'GET',
        '/admin/requests?model=from-a',
      );
      return page.body.data.length === 1;
    });
    expect(found, 'A’s request in C’s log').toBeDefined();
  });

  it('accepts a client token made through B on A and C, and refuses it there once rotated', async () => {
    const [a, b, c] = fleet as [TestGateway, TestGateway, TestGateway];
    await within(1000, async () =>
      fleet.every((gw) => gw.gateway.runtime.routes.some((r) => r.name === 'fleet')),
    );
    const made = await admin(b.url, 'POST', '/admin/clients', { json: { name: 'dana', key: CLIENT_TOKEN } });
    expect(made.status).toBe(201);
    const ask = (gw: TestGateway) =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      }).then((res) => res.status);
    for (const gw of [a, c]) expect(await within(1000, async () => (await ask(gw)) === 200)).toBeDefined();
    expect((await admin(b.url, 'POST', '/admin/clients/dana/rotate')).status).toBe(200);
    for (const gw of [a, c]) expect(await within(1000, async () => (await ask(gw)) === 401)).toBeDefined();
  });

  it('masks the URL password in the configuration it shows', async () => {
    const shown = await admin<{ store: { url: string } }>(fleet[0]!.url, 'GET', '/admin/config');
    expect(shown.body.store.url).not.toContain('pw-fleet-secret-0001');
    expect(shown.body.store.url).toMatch(/^postgres:\/\/[^:]+:[^@]+@[^/]+\/[^?]+\?options=/);
  });
});
