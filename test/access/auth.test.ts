import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStartup } from '../../src/cli/banner';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, startMock } from '../helpers/mock-upstream';

const ALICE = 'sk-sy-alice-0123456789abcdef';
const BOB = 'sk-sy-bob-0123456789abcdef00';
const OLD = 'sk-sy-old-0123456789abcdef00';
const OFF = 'sk-sy-off-0123456789abcdef00';
const FAR = 'sk-sy-far-0123456789abcdef00';
const NOW = Date.UTC(2026, 5, 1);

async function post(gw: TestGateway, key: string | undefined, body: object, path = '/v1/chat/completions') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  return fetch(`${gw.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

describe('client tokens: who may call what', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock();
    gw = await startTestGateway(
      {
        server: { auth_keys: ['sk-plain-auth-key-000000'] },
        upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-0001'] }],
        routes: [
          { name: 'default', upstreams: ['mock'] },
          { name: 'other', upstreams: ['mock'] },
        ],
        clients: [
          { name: 'alice', key: ALICE, models: ['gpt-4o*', 'gpt-3.5-turbo'] },
          { name: 'bob', key: BOB, routes: ['other'] },
          { name: 'old', key: OLD, expires_at: '2026-01-01T00:00:00Z' },
          { name: 'off', key: OFF, enabled: false },
          { name: 'far', key: FAR, ip_allowlist: ['10.0.0.0/8'] },
        ],
      },
      { now: () => NOW },
    );
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  it('lets a client in with its token and names it in the log', async () => {
    const completion = await gw.client(ALICE).chat.completions.create({ model: 'gpt-4o-mini', messages: [] });
    expect(completion.model).toBe('gpt-4o-mini');
    expect(gw.logs.join('')).toContain('"client_ip"');
  });

  it('refuses unknown, expired and disabled tokens with the same 401, before any upstream call', async () => {
    const before = mock.requests.length;
    const answers = await Promise.all(
      [undefined, 'sk-sy-nobody-0123456789abcdef', OLD, OFF].map((key) => post(gw, key, { model: 'gpt-4o' })),
    );
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!).error.code).toBe('invalid_api_key');
    expect(mock.requests.length).toBe(before);
  });

  it('refuses a model outside the allowlist with 403, before any upstream call', async () => {
    const before = mock.requests.length;
    const response = await post(gw, ALICE, { model: 'gpt-4', messages: [] });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: 'model_not_allowed', param: 'model' });
    const noModel = await post(gw, ALICE, { messages: [] });
    expect(noModel.status).toBe(403);
    expect(mock.requests.length).toBe(before);
    expect((await post(gw, ALICE, { model: 'gpt-3.5-turbo', messages: [] })).status).toBe(200);
  });

  it('refuses a route the client may not use, and an address outside its allowlist', async () => {
    const before = mock.requests.length;
    const route = await post(gw, BOB, { model: 'gpt-4o', messages: [] });
    expect(route.status).toBe(403);
    expect((await errorOf(route)).code).toBe('route_not_allowed');
    const ip = await post(gw, FAR, { model: 'gpt-4o', messages: [] });
    expect(ip.status).toBe(403);
    expect((await errorOf(ip)).code).toBe('ip_not_allowed');
    expect(mock.requests.length).toBe(before);
  });

  it('is not open, and says nothing of it at start', () => {
    describeStartup(gw, null);
    expect(gw.logs.join('')).not.toContain('OPEN GATEWAY');
  });

  it('still accepts server.auth_keys', async () => {
    expect((await post(gw, 'sk-plain-auth-key-000000', { model: 'gpt-4', messages: [] })).status).toBe(200);
  });

  it('never forwards the client token and never logs it in full', async () => {
    await gw.client(ALICE).chat.completions.create({ model: 'gpt-4o', messages: [] });
    expect(JSON.stringify(mock.requests.at(-1)!.headers)).not.toContain(ALICE);
    expect(gw.logs.join('')).not.toContain(ALICE);
  });
});

describe('an open gateway', () => {
  it('says so at start and lets anyone in', async () => {
    const mock = await startMock();
    const gw = await startTestGateway({ upstreams: [{ name: 'mock', url: mock.url }] });
    try {
      expect(gw.gateway.access.open).toBe(true);
      describeStartup(gw, null);
      expect(gw.logs.join('')).toContain('OPEN GATEWAY');
      expect((await post(gw, undefined, { model: 'x', messages: [] })).status).toBe(200);
    } finally {
      await gw.stop(1000);
      await mock.close();
    }
  });
});
