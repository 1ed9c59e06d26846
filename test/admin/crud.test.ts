import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { keyEcho, type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('admin API CRUD reaches the data plane without a restart', () => {
  let fileMock: MockUpstream;
  let apiMock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    fileMock = await startMock(replyChat());
    apiMock = await startMock(replyChat());
  });

  afterAll(async () => {
    await fileMock.close();
    await apiMock.close();
  });

  beforeEach(async () => {
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      server: { trust_proxy: false },
      upstreams: [{ name: 'from-file', url: fileMock.url, keys: ['sk-file-key-000000001'] }],
    });
  });

  afterEach(async () => {
    await gw.stop(1000);
  });

  /** The API upstream "from-api" with one key, and the route "only-api" that sends everything there. */
  async function apiUpstreamAndRoute(): Promise<void> {
    const created = await admin(gw.url, 'POST', '/admin/upstreams', {
      json: { name: 'from-api', url: apiMock.url, keys: ['sk-api-key-00000000001'], priority: 0 },
    });
    expect(created.status).toBe(201);
    const route = await admin(gw.url, 'POST', '/admin/routes', {
      json: { name: 'only-api', upstreams: ['from-api'] },
    });
    expect(route.status).toBe(201);
  }

  it('lists file objects as read-only, with their source', async () => {
    const list = await admin<{ upstreams: { name: string; source: string }[] }>(
      gw.url,
      'GET',
      '/admin/upstreams',
    );
    expect(list.status).toBe(200);
    expect(list.body.upstreams).toEqual([expect.objectContaining({ name: 'from-file', source: 'file' })]);
    const patch = await admin(gw.url, 'PATCH', '/admin/upstreams/from-file', { json: { weight: 3 } });
    expect(patch.status).toBe(409);
    expect(patch.body).toMatchObject({ error: { code: 'read_only' } });
    const keys = await admin(gw.url, 'POST', '/admin/upstreams/from-file/keys', {
      text: 'sk-new-0000000001',
    });
    expect(keys.status).toBe(409);
  });

  it('adds an upstream through the API and the next request uses it', async () => {
    const created = await admin(gw.url, 'POST', '/admin/upstreams', {
      json: { name: 'from-api', url: apiMock.url, keys: ['sk-api-key-00000000001'], priority: 0 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'from-api', source: 'api', keys: { total: 1, enabled: 1 } });
    expect(created.text).not.toContain('sk-api-key-00000000001');

    const route = await admin(gw.url, 'POST', '/admin/routes', {
      json: { name: 'only-api', upstreams: ['from-api'] },
    });
    expect(route.status).toBe(201);
    const before = apiMock.requests.length;
    const reply = await gw.client().chat.completions.create(CHAT);
    expect(reply.choices[0]!.message.content).toBe(keyEcho('Bearer sk-api-key-00000000001'));
    expect(apiMock.requests.length).toBe(before + 1);
  });

  it('disables and deletes keys, and the rotation follows', async () => {
    await apiUpstreamAndRoute();
    const added = await admin(gw.url, 'POST', '/admin/upstreams/from-api/keys', {
      json: { keys: ['sk-api-key-00000000002'] },
    });
    expect(added.status).toBe(201);
    const page = await admin<{ keys: { id: string; key: string; enabled: boolean }[] }>(
      gw.url,
      'GET',
      '/admin/upstreams/from-api/keys',
    );
    expect(page.body.keys.map((k) => k.key)).toEqual(['sk-...0001', 'sk-...0002']);
    const first = page.body.keys[0]!.id;
    const disabled = await admin(gw.url, 'PATCH', `/admin/upstreams/from-api/keys/${first}`, {
      json: { enabled: false },
    });
    expect(disabled.body).toMatchObject({ id: first, enabled: false });
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      seen.add((await gw.client().chat.completions.create(CHAT)).choices[0]!.message.content!);
    }
    expect([...seen]).toEqual([keyEcho('Bearer sk-api-key-00000000002')]);
    const deleted = await admin(gw.url, 'DELETE', `/admin/upstreams/from-api/keys/${first}`);
    expect(deleted.status).toBe(204);
    const after = await admin<{ total: number }>(gw.url, 'GET', '/admin/upstreams/from-api/keys');
    expect(after.body.total).toBe(1);
  });

  it('updates a route and refuses an unknown member, naming the field', async () => {
    await apiUpstreamAndRoute();
    const bad = await admin(gw.url, 'PATCH', '/admin/routes/only-api', { json: { upstreams: ['nope'] } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'validation_failed', param: 'upstreams[0]' } });
    const moved = await admin(gw.url, 'PUT', '/admin/routes/only-api', {
      json: { name: 'only-api', upstreams: ['from-file'] },
    });
    expect(moved.status).toBe(200);
    const reply = await gw.client().chat.completions.create(CHAT);
    expect(reply.choices[0]!.message.content).toBe(keyEcho('Bearer sk-file-key-000000001'));
  });

  it('names the field of an invalid upstream', async () => {
    const res = await admin(gw.url, 'POST', '/admin/upstreams', {
      json: { name: 'broken', url: 'ftp://nowhere', timeouts: { connect: 'soon' } },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed', param: 'url' } });
    expect((res.body as { error: { message: string } }).error.message).toContain('timeouts.connect');
    const dup = await admin(gw.url, 'POST', '/admin/upstreams', {
      json: { name: 'from-file', url: apiMock.url },
    });
    expect(dup.status).toBe(409);
  });

  it('refuses to delete an upstream a route uses, then deletes it', async () => {
    await apiUpstreamAndRoute();
    const refused = await admin(gw.url, 'DELETE', '/admin/upstreams/from-api');
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('only-api');
    expect((await admin(gw.url, 'DELETE', '/admin/routes/only-api')).status).toBe(204);
    expect((await admin(gw.url, 'DELETE', '/admin/upstreams/from-api')).status).toBe(204);
    const list = await admin<{ upstreams: unknown[] }>(gw.url, 'GET', '/admin/upstreams');
    expect(list.body.upstreams).toHaveLength(1);
    expect((await admin(gw.url, 'GET', '/admin/upstreams/from-api')).status).toBe(404);
  });

  it('sets and removes a setting, which the data plane applies', async () => {
    const list = await admin<{ settings: { name: string; source: string }[] }>(
      gw.url,
      'GET',
      '/admin/settings',
    );
    expect(list.body.settings.map((s) => s.name)).toContain('server.max_body_size');
    const set = await admin(gw.url, 'PUT', '/admin/settings/server.max_body_size', {
      json: { value: '1kb' },
    });
    expect(set.body).toMatchObject({ value: 1024, source: 'api' });
    const big = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...CHAT, padding: 'x'.repeat(2048) }),
    });
    expect(big.status).toBe(413);
    const bad = await admin(gw.url, 'PUT', '/admin/settings/server.max_body_size', {
      json: { value: 'huge' },
    });
    expect(bad.body).toMatchObject({ error: { param: 'value' } });
    expect((await admin(gw.url, 'DELETE', '/admin/settings/server.max_body_size')).status).toBe(204);
    const reset = await admin(gw.url, 'GET', '/admin/settings/server.max_body_size');
    expect(reset.body).toMatchObject({ source: 'default', value: 32 * 1024 * 1024 });
  });

  it('keeps settings the file sets read-only', async () => {
    const res = await admin(gw.url, 'PUT', '/admin/settings/server.trust_proxy', { json: { value: true } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'read_only' } });
    const read = await admin(gw.url, 'GET', '/admin/settings/server.trust_proxy');
    expect(read.body).toMatchObject({ value: false, source: 'file' });
  });

  it('masks credential headers and keeps them when the masked value comes back', async () => {
    const created = await admin(gw.url, 'POST', '/admin/upstreams', {
      json: {
        name: 'with-header',
        url: apiMock.url,
        headers: { 'x-custom-token': 'tok-header-secret-0001' },
      },
    });
    expect(created.status).toBe(201);
    const read = await admin<{ headers: Record<string, string> }>(
      gw.url,
      'GET',
      '/admin/upstreams/with-header',
    );
    expect(read.body.headers['x-custom-token']).toBe('tok-...0001');
    const patched = await admin(gw.url, 'PATCH', '/admin/upstreams/with-header', {
      json: { headers: read.body.headers, weight: 2 },
    });
    expect(patched.body).toMatchObject({ weight: 2 });
    const route = await admin(gw.url, 'POST', '/admin/routes', {
      json: { name: 'header-route', upstreams: ['with-header'] },
    });
    expect(route.status).toBe(201);
    await gw.client().chat.completions.create(CHAT);
    expect(apiMock.requests.at(-1)!.headers['x-custom-token']).toBe('tok-header-secret-0001');
  });
});
