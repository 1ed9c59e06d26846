import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const ADMIN = 'sk-admin-key-for-tests-0000';
const ALICE = 'sk-sy-alice-0123456789abcdef';

describe('the admin API for clients, requests and usage', () => {
  let dir: string;
  let mock: MockUpstream;
  let gw: TestGateway;
  let config: ConfigInput;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sy-admin-'));
    mock = await startMock(replyChat());
    config = {
      admin: { key: ADMIN },
      store: { path: join(dir, 'switchyard.db') },
      upstreams: [{ name: 'mock', url: mock.url }],
      clients: [{ name: 'alice', key: ALICE }],
    };
    gw = await startTestGateway(config);
  });

  afterEach(async () => {
    await gw.stop(1000);
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function admin(method: string, path: string, body?: unknown) {
    return fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function call(key: string) {
    return fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
    });
  }

  function databaseText(): string {
    return readdirSync(dir)
      .filter((f) => f.startsWith('switchyard.db'))
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('');
  }

  /** The API client "carol"; resolves with the full key the create answered. */
  async function createCarol(): Promise<{ key: string; name: string; source: string }> {
    const created = await admin('POST', '/admin/clients', {
      name: 'carol',
      models: ['gpt-4o*'],
      limits: { rpm: 100 },
      metadata: { team: 'search' },
    });
    expect(created.status).toBe(201);
    return (await created.json()) as { key: string; name: string; source: string };
  }

  it('creates a client and shows its full key once; reads show it masked', async () => {
    const body = await createCarol();
    const carol = body.key;
    expect(carol).toMatch(/^sk-sy-[A-Za-z0-9_-]{32}$/);
    expect(body).toMatchObject({ name: 'carol', source: 'api', metadata: { team: 'search' } });
    expect((await call(carol)).status).toBe(200);
    const list = await (await admin('GET', '/admin/clients')).text();
    expect(list).not.toContain(carol);
    expect(list).not.toContain(ALICE);
    expect(
      JSON.parse(list).data.map((c: { name: string; source: string }) => `${c.name}:${c.source}`),
    ).toEqual(['alice:file', 'carol:api']);
    const one = (await (await admin('GET', '/admin/clients/carol')).json()) as { key: string };
    expect(one.key).toBe(`sk-...${carol.slice(-4)}`);
    expect(databaseText()).not.toContain(carol);
  });

  it('refuses duplicates and bad fields, and leaves file clients alone', async () => {
    await createCarol();
    expect((await admin('POST', '/admin/clients', { name: 'carol' })).status).toBe(409);
    expect((await admin('POST', '/admin/clients', { name: 'alice' })).status).toBe(409);
    const bad = await admin('POST', '/admin/clients', { name: 'dave', limits: { rpm: -1 }, colour: 'red' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(/limits\.rpm|colour/);
    expect((await admin('PATCH', '/admin/clients/alice', { enabled: false })).status).toBe(409);
    expect((await admin('DELETE', '/admin/clients/alice')).status).toBe(409);
    expect((await admin('GET', '/admin/clients/nobody')).status).toBe(404);
  });

  it('disables, re-enables and rotates, with the same 401 for the old key', async () => {
    let carol = (await createCarol()).key;
    expect((await admin('PATCH', '/admin/clients/carol', { enabled: false })).status).toBe(200);
    expect((await call(carol)).status).toBe(401);
    const enabled = await admin('PATCH', '/admin/clients/carol', { enabled: true, metadata: null });
    expect(await enabled.json()).toMatchObject({ enabled: true, metadata: {} });
    expect((await call(carol)).status).toBe(200);
    const rotated = (await (await admin('POST', '/admin/clients/carol/rotate')).json()) as { key: string };
    expect(rotated.key).not.toBe(carol);
    expect((await call(carol)).status).toBe(401);
    carol = rotated.key;
    expect((await call(carol)).status).toBe(200);
  });

  it('keeps API-made tokens working across a restart (hashed under the persistent secret)', async () => {
    const carol = (await createCarol()).key;
    expect((await call(carol)).status).toBe(200);
    await gw.stop(1000);
    gw = await startTestGateway(config);
    expect((await call(carol)).status).toBe(200);
  });

  it('queries the request log with filters and pages, and the usage rollups', async () => {
    const carol = (await createCarol()).key;
    for (let i = 0; i < 4; i++) expect((await call(carol)).status).toBe(200);
    expect((await admin('PATCH', '/admin/clients/carol', { enabled: false })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await call(carol)).status).toBe(401);
    // Restarting flushes the request log: every row above is in the store.
    await gw.stop(1000);
    gw = await startTestGateway(config);
    const page = (await (await admin('GET', '/admin/requests?client=carol&limit=2')).json()) as {
      data: Record<string, unknown>[];
      next_cursor: string | null;
    };
    expect(page.data).toHaveLength(2);
    expect(page.data[0]).toMatchObject({ client: 'carol', status: 200, upstream: 'mock', total_tokens: 12 });
    expect(page.next_cursor).not.toBeNull();
    const next = (await (
      await admin('GET', `/admin/requests?client=carol&limit=2&cursor=${page.next_cursor}`)
    ).json()) as {
      data: Record<string, unknown>[];
    };
    expect(next.data[0]!.id).toBeLessThan(page.data[1]!.id as number);
    const refused = (await (await admin('GET', '/admin/requests?status=401')).json()) as { data: unknown[] };
    expect(refused.data.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(refused)).not.toContain(carol);
    const usage = (await (await admin('GET', '/admin/usage?group_by=client')).json()) as {
      data: { client: string; requests: number; total_tokens: number }[];
    };
    expect(usage.data.find((row) => row.client === 'carol')).toMatchObject({ total_tokens: 12 * 4 });
    expect((await admin('GET', '/admin/usage?group_by=colour')).status).toBe(400);
    expect((await admin('GET', '/admin/requests?status=teapot')).status).toBe(400);
  });

  it('deletes a client made with the API', async () => {
    const carol = (await createCarol()).key;
    expect((await call(carol)).status).toBe(200);
    expect((await admin('DELETE', '/admin/clients/carol')).status).toBe(204);
    expect((await call(carol)).status).toBe(401);
  });
});

describe('deleting the last client', () => {
  it('is refused, so the gateway never opens by accident', async () => {
    const mock = await startMock(replyChat());
    const gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [{ name: 'mock', url: mock.url }],
    });
    try {
      const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
      expect(gw.gateway.access.open).toBe(true);
      await fetch(`${gw.url}/admin/clients`, { method: 'POST', headers, body: '{"name":"only"}' });
      expect(gw.gateway.access.open).toBe(false);
      expect(gw.logs.join('')).toContain('no longer open');
      const refused = await fetch(`${gw.url}/admin/clients/only`, { method: 'DELETE', headers });
      expect(refused.status).toBe(409);
      expect((await errorOf(refused)).message).toMatch(/open/);
    } finally {
      await gw.stop(1000);
      await mock.close();
    }
  });
});
