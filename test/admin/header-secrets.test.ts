import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  chatCompletion,
  type MockUpstream,
  type SeenRequest,
  sendJson,
  startMock,
} from '../helpers/mock-upstream';

/** Credential header values of every kind of header map, from the file and from the API. */
const FILE_KEEPALIVE = 'Bearer sk-keepalive-secret-BBBBBBBBBBBB';
const FILE_CHECK = 'hc-secret-CCCCCCCCCCCCCCCC';
const FILE_ROUTE = 'route-secret-DDDDDDDDDDDDDDDD';
const API_HEADER = 'api-hdr-secret-EEEEEEEEEEEE';
const API_KEEPALIVE = 'api-ka-secret-FFFFFFFFFFFF';
const API_CHECK = 'Bearer api-hc-secret-GGGGGGGGGGGG';
const API_ROUTE = 'api-route-secret-HHHHHHHHHHHH';
const SECRETS = [FILE_KEEPALIVE, FILE_CHECK, FILE_ROUTE, API_HEADER, API_KEEPALIVE, API_CHECK, API_ROUTE];
/** The part of each secret that must never show (a `Bearer` prefix alone gives nothing away). */
const SECRET_PARTS = SECRETS.map((secret) => secret.replace('Bearer ', ''));

const CHAT = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });

/** Answers chats; a chat for `echo` fails with the credential headers it got, as some upstreams do. */
function upstream(req: SeenRequest, res: import('node:http').ServerResponse): void {
  if (!req.url.includes('/chat/completions')) {
    sendJson(res, 200, { ok: true });
    return;
  }
  const { model } = req.json<{ model: string }>();
  if (model !== 'echo') {
    sendJson(res, 200, chatCompletion(model, 'ok'));
    return;
  }
  const sent = ['x-api-key', 'x-upstream-token'].map((name) => `${name}=${req.headers[name]}`).join(' ');
  sendJson(res, 500, { error: { message: `upstream broke with ${sent}` } });
}

describe('credential header values through the admin API, the store and the logs', () => {
  let dir: string;
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(upstream);
  });

  afterAll(async () => {
    await mock.close();
  });

  // Every test gets its own store and gateway: the last one restarts the gateway on the store.
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sy-hdr-'));
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      store: { path: join(dir, 'switchyard.db') },
      retry: { max_attempts: 1 },
      upstreams: [
        {
          name: 'file-up',
          url: mock.url,
          keys: ['sk-upstream-key-AAAAAAAAAAAA'],
          keepalive: { interval: '1h', path: '/ka', headers: { authorization: FILE_KEEPALIVE } },
          health_check: { interval: '1h', path: '/hc', headers: { 'x-api-key': FILE_CHECK } },
        },
      ],
      routes: [
        {
          name: 'file-route',
          match: { model: ['file-model', 'echo'] },
          upstreams: ['file-up'],
          headers: { set: { 'x-upstream-token': FILE_ROUTE, 'x-org': 'acme-org' } },
        },
      ],
    });
    const created = await admin(gw.url, 'POST', '/admin/upstreams', {
      json: {
        name: 'api-up',
        url: mock.url,
        keys: ['sk-api-upstream-key-000001'],
        headers: { 'x-api-key': API_HEADER },
        keepalive: { interval: '1h', path: '/api-ka', headers: { 'x-custom-token': API_KEEPALIVE } },
        health_check: { interval: '1h', path: '/api-hc', headers: { authorization: API_CHECK } },
      },
    });
    expect(created.status).toBe(201);
    const route = await admin(gw.url, 'POST', '/admin/routes', {
      json: {
        name: 'api-route',
        match: { model: 'api-model' },
        upstreams: ['api-up'],
        headers: { set: { 'x-upstream-token': API_ROUTE } },
      },
    });
    expect(route.status).toBe(201);
  });

  afterEach(async () => {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('are masked wherever the admin API shows configuration', async () => {
    const paths = [
      '/admin/config',
      '/admin/upstreams',
      '/admin/upstreams/file-up',
      '/admin/upstreams/api-up',
      '/admin/routes',
      '/admin/routes/file-route',
      '/admin/routes/api-route',
    ];
    for (const path of paths) {
      const res = await admin(gw.url, 'GET', path);
      expect(res.status, path).toBe(200);
      for (const secret of SECRET_PARTS) expect(res.text, `${secret} in ${path}`).not.toContain(secret);
    }
    const config = await admin(gw.url, 'GET', '/admin/config');
    for (const masked of ['...BBBB', '...CCCC', '...DDDD', '...EEEE', '...FFFF', '...GGGG', '...HHHH']) {
      expect(config.text).toContain(masked);
    }
    expect(config.text).toContain('acme-org');
  });

  it('sent back masked, keep the stored values', async () => {
    const view = await admin<Record<string, Record<string, unknown>>>(
      gw.url,
      'GET',
      '/admin/upstreams/api-up',
    );
    const patch = await admin(gw.url, 'PATCH', '/admin/upstreams/api-up', {
      json: {
        headers: view.body.headers,
        keepalive: { ...view.body.keepalive, path: '/api-ka-2' },
        health_check: view.body.health_check,
      },
    });
    expect(patch.status).toBe(200);
    const routeView = await admin<Record<string, unknown>>(gw.url, 'GET', '/admin/routes/api-route');
    const put = await admin(gw.url, 'PATCH', '/admin/routes/api-route', {
      json: { headers: routeView.body.headers },
    });
    expect(put.status).toBe(200);

    expect((await admin(gw.url, 'POST', '/admin/keepalive/api-up/ping')).status).toBe(200);
    const ping = mock.requests.findLast((r) => r.url === '/api-ka-2')!;
    expect(ping.headers['x-custom-token']).toBe(API_KEEPALIVE);
    await gw.client().chat.completions.create(CHAT('api-model') as never);
    const chat = mock.requests.at(-1)!;
    expect(chat.headers['x-upstream-token']).toBe(API_ROUTE);
    expect(chat.headers['x-api-key']).toBe(API_HEADER);
    const stored = gw.control.store.upstream('api-up')!.definition as { health_check: { headers: object } };
    expect(stored.health_check.headers).toEqual({ authorization: API_CHECK });
  });

  it('echoed by an upstream, are masked in the answer and the logs', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(CHAT('echo')),
    });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toContain('x-upstream-token=route-...DDDD');
    expect(mock.requests.at(-1)!.headers['x-upstream-token']).toBe(FILE_ROUTE);
    const logs = gw.logs.join('\n');
    for (const secret of SECRET_PARTS) {
      expect(body).not.toContain(secret);
      expect(logs, `${secret} in logs`).not.toContain(secret);
    }
  });

  it('made through the API are sealed in the store file', async () => {
    await gw.stop(1000);
    const bytes = readFileSync(join(dir, 'switchyard.db')).toString('latin1');
    for (const secret of [API_HEADER, API_KEEPALIVE, API_CHECK, API_ROUTE]) {
      expect(bytes, secret).not.toContain(secret.replace('Bearer ', ''));
    }
    gw = await startTestGateway({ admin: { key: ADMIN_KEY }, store: { path: join(dir, 'switchyard.db') } });
    await gw.client().chat.completions.create(CHAT('api-model') as never);
    expect(mock.requests.at(-1)!.headers['x-upstream-token']).toBe(API_ROUTE);
  });
});
