import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHttpExchange } from '../adapter/node/http-exchange';
import { AdminRouter } from './router';

describe('AdminRouter', () => {
  const router = new AdminRouter();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    router.setKey('the-admin-key-0001');
    router.add('GET', '/admin/things/:name', (req) => ({ body: { by: 'param', name: req.params.name } }));
    router.add('GET', '/admin/things/special', () => ({ body: { by: 'static' } }));
    router.add('POST', '/admin/things', async (req) => ({ body: { got: await req.json() } }));
    server = createServer((req, res) => {
      const exchange = new NodeHttpExchange(req, res);
      void router.handle(exchange, exchange, { replyHeaders: {} });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = async (path: string, key = 'the-admin-key-0001') =>
    (await fetch(`${base}${path}`, { headers: { 'x-admin-key': key } })).json();

  it('prefers the most specific pattern, whatever the registration order', async () => {
    expect(await get('/admin/things/special')).toEqual({ by: 'static' });
    expect(await get('/admin/things/other%20one')).toEqual({ by: 'param', name: 'other one' });
  });

  it('answers 405 for a known path with another method, 404 for an unknown one', async () => {
    const wrongMethod = await fetch(`${base}/admin/things/x`, {
      method: 'DELETE',
      headers: { 'x-admin-key': 'the-admin-key-0001' },
    });
    expect(wrongMethod.status).toBe(405);
    expect(await get('/admin/nothing')).toMatchObject({ error: { code: 'not_found' } });
  });

  it('takes the key as x-admin-key or Bearer, and refuses others', async () => {
    expect(await get('/admin/things/a', 'wrong')).toMatchObject({ error: { code: 'admin_unauthorized' } });
    const bearer = await fetch(`${base}/admin/things/a`, {
      headers: { authorization: 'Bearer the-admin-key-0001' },
    });
    expect(bearer.status).toBe(200);
  });

  it('audits authorised calls', async () => {
    const seen: string[] = [];
    router.audit = (entry) => seen.push(`${entry.method} ${entry.path} ${entry.status}`);
    await fetch(`${base}/admin/things`, {
      method: 'POST',
      headers: { 'x-admin-key': 'the-admin-key-0001', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    await get('/admin/things/a', 'wrong');
    expect(seen).toEqual(['POST /admin/things 200']);
  });
});
