import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../helpers/admin';
import type { TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { postgresAvailable, testSchema } from '../helpers/postgres';
import { schemaUrl, startFleetGateway, within } from '../helpers/postgres-fleet';
import { startTcpSwitch, type TcpSwitch } from '../helpers/tcp-switch';

/** A key from the file: a request with it needs nothing from the store. */
const AUTH_KEY = 'sk-file-auth-key-0000000001';

interface Health {
  status: string;
  dependencies: { store: { up: boolean; error?: string; detail?: string } };
}

describe.runIf(await postgresAvailable())('the PostgreSQL store going away', () => {
  const schema = testSchema();
  let mock: MockUpstream;
  let relay: TcpSwitch;
  let gw: TestGateway;

  const chat = (model: string) =>
    gw.client(AUTH_KEY).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
  const health = async () => (await admin<Health>(gw.url, 'GET', '/health')).body;
  const logged = async (model: string) =>
    (await admin<{ data: unknown[] }>(gw.url, 'GET', `/admin/requests?model=${model}`)).body.data.length;

  beforeAll(async () => {
    await schema.create();
    mock = await startMock(replyChat());
    relay = await startTcpSwitch('127.0.0.1', 5432);
    // The relay is off: the server is not there when the gateway starts.
    const url = schemaUrl(
      schema.name,
      `postgres://postgres:pw-store-secret-0001@127.0.0.1:${relay.port}/test`,
    );
    gw = await startFleetGateway(url, {
      server: { auth_keys: [AUTH_KEY] },
      upstreams: [{ name: 'file-up', url: mock.url }],
    });
  });

  afterAll(async () => {
    await gw?.stop(1000);
    await relay?.close();
    await mock?.close();
    await schema.drop();
  });

  it('starts without it, serves what needs nothing from it, and says it is degraded', async () => {
    expect(await health()).toMatchObject({ status: 'degraded', dependencies: { store: { up: false } } });
    expect((await admin(gw.url, 'GET', '/metrics')).text).toContain(
      'switchyard_dependency_up{dependency="store"} 0',
    );
    expect((await chat('during-start-outage')).model).toBe('during-start-outage');
    const refused = await admin(gw.url, 'POST', '/admin/routes', {
      json: { name: 'r', upstreams: ['file-up'] },
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: { code: 'store_unavailable' } });
    expect(gw.gateway.runtime.routes.map((r) => r.name)).toEqual(['default']);
    const log = await admin(gw.url, 'GET', '/admin/requests');
    expect([log.status, log.body]).toMatchObject([503, { error: { code: 'store_unavailable' } }]);
  });

  it('connects when it comes back and writes the request log it held', async () => {
    relay.on();
    expect(await within(6000, async () => (await health()).status === 'ok')).toBeDefined();
    expect((await admin(gw.url, 'GET', '/metrics')).text).toContain(
      'switchyard_dependency_up{dependency="store"} 1',
    );
    expect(await within(2000, async () => (await logged('during-start-outage')) === 1)).toBeDefined();
    const made = await admin(gw.url, 'POST', '/admin/routes', {
      json: { name: 'r', upstreams: ['file-up'] },
    });
    expect(made.status).toBe(201);
  });

  it('keeps serving when it goes away mid-load, then converges again', async () => {
    relay.cut();
    const replies = await Promise.all(Array.from({ length: 20 }, () => chat('during-cut')));
    expect(replies.every((reply) => reply.model === 'during-cut')).toBe(true);
    expect(await within(3000, async () => (await health()).status === 'degraded')).toBeDefined();
    relay.on();
    expect(await within(6000, async () => (await health()).status === 'ok')).toBeDefined();
    expect(await within(2000, async () => (await logged('during-cut')) === 20)).toBeDefined();
    expect(gw.logs.join('')).not.toContain('pw-store-secret-0001');
  });
});
