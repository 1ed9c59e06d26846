import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/** A concrete path for a route pattern. */
const concrete = (pattern: string) => pattern.replace(/:([A-Za-z_]+)/g, 'x');

describe('the admin API surface', () => {
  let gw: TestGateway;
  let separate: TestGateway;

  beforeAll(async () => {
    // Every route is tried with wrong keys: the per-address limit on failures would cut that short.
    gw = await startTestGateway({ admin: { key: ADMIN_KEY, max_auth_failures: 0 } });
    separate = await startTestGateway({ admin: { key: ADMIN_KEY, port: 0, max_auth_failures: 0 } });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await separate.stop(1000);
  });

  it('refuses every route without the admin key or with a wrong one', async () => {
    const routes = gw.gateway.admin.list();
    expect(routes.length).toBeGreaterThan(20);
    for (const { method, pattern } of routes) {
      for (const key of [null, 'wrong-admin-key', `${ADMIN_KEY}x`]) {
        const res = await admin(gw.url, method, concrete(pattern), {
          key,
          json: method === 'GET' ? undefined : {},
        });
        expect(res.status, `${method} ${pattern} with ${key}`).toBe(401);
        expect(res.body).toMatchObject({ error: { code: 'admin_unauthorized' } });
      }
    }
  });

  it('refuses every route on the admin listener too', async () => {
    const base = separate.control.adminUrl!;
    for (const { method, pattern } of separate.gateway.admin.list()) {
      const res = await admin(base, method, concrete(pattern), { key: null });
      expect(res.status, `${method} ${pattern}`).toBe(401);
    }
  });

  it('serves /admin and /metrics only on the admin listener when admin.port is set', async () => {
    const base = separate.control.adminUrl!;
    expect((await admin(base, 'GET', '/admin/upstreams')).status).toBe(200);
    expect((await admin(base, 'GET', '/metrics')).text).toContain('switchyard_requests_total');
    const onPublic = await admin(separate.url, 'GET', '/admin/upstreams');
    expect(onPublic.status).toBe(404);
    expect(onPublic.body).toMatchObject({ error: { code: 'not_found' } });
    expect((await admin(separate.url, 'GET', '/metrics')).status).toBe(404);
    expect((await admin(base, 'GET', '/v1/models')).status).toBe(404);
  });

  it('is off without an admin key', async () => {
    const off = await startTestGateway({});
    try {
      const res = await admin(off.url, 'GET', '/admin/upstreams');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'admin_disabled' } });
    } finally {
      await off.stop(1000);
    }
  });

  it('describes every registered route in /admin/openapi.json, including later ones', async () => {
    gw.gateway.admin.add('GET', '/admin/extra/:thing', () => ({ body: {} }), {
      summary: 'registered by another feature',
      tag: 'Other feature',
    });
    const res = await admin<{ openapi: string; paths: Record<string, Record<string, { summary: string }>> }>(
      gw.url,
      'GET',
      '/admin/openapi.json',
    );
    expect(res.body.openapi).toBe('3.1.0');
    for (const { method, pattern } of gw.gateway.admin.list()) {
      const path = pattern.replace(/:([A-Za-z_]+)/g, '{$1}');
      expect(res.body.paths[path]?.[method.toLowerCase()], `${method} ${pattern}`).toBeDefined();
    }
    expect(res.body.paths['/admin/extra/{thing}']!.get!.summary).toBe('registered by another feature');
    const create = res.body.paths['/admin/upstreams']!.post as unknown as {
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } };
    };
    expect(Object.keys(create.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['name', 'url', 'keys', 'timeouts']),
    );
  });

  it('answers a malformed JSON body without echoing it', async () => {
    const res = await admin(gw.url, 'POST', '/admin/upstreams', {
      text: '{"name": sk-secret-in-a-broken-body-123',
      contentType: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_json' } });
    expect(res.text).not.toContain('sk-secret');
  });
});
