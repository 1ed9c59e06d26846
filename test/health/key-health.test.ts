import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  keyEcho,
  type MockHandler,
  type MockUpstream,
  replyChat,
  sendJson,
  startMock,
} from '../helpers/mock-upstream';

const KEYS = ['sk-good-key-000001', 'sk-bad-key-0000002', 'sk-third-key-00003'];

interface Setup {
  mock: MockUpstream;
  gw: TestGateway;
  clock: { now: number };
}

describe('key health', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function setup(
    handler: MockHandler,
    extra: Partial<ConfigInput> = {},
    keys = KEYS.slice(0, 2),
  ): Promise<Setup> {
    const clock = { now: 1_700_000_000_000 };
    const mock = await startMock(handler);
    const gw = await startTestGateway(
      { retry: { backoff: 0 }, upstreams: [{ name: 'm', url: mock.url, keys }], ...extra },
      { now: () => clock.now },
    );
    cleanup.push(mock.close, () => gw.stop(1000));
    return { mock, gw, clock };
  }

  const chat = (gw: TestGateway) => gw.client().chat.completions.create({ model: 'm', messages: [] });
  const keysAdmin = async (gw: TestGateway) =>
    (await (
      await fetch(`${gw.url}/admin/keys`, { headers: { authorization: 'Bearer admin-secret-1' } })
    ).json()) as {
      keys: {
        key: string;
        state: string;
        consecutive_failures: number;
        last_verdict: string;
        last_error: string;
        last_used_at: string | null;
      }[];
    };

  it('disables a key on an invalid_api_key answer at once, and the other key serves', async () => {
    const { mock, gw } = await setup(
      (req, res) => {
        if (req.headers.authorization === `Bearer ${KEYS[1]}`) {
          sendJson(res, 401, {
            error: { message: `Incorrect API key provided: ${KEYS[1]}`, code: 'invalid_api_key' },
          });
        } else replyChat()(req, res);
      },
      { admin: { key: 'admin-secret-1' } },
    );
    for (let i = 0; i < 6; i++) await chat(gw);
    const sent = mock.requests.map((r) => r.headers.authorization);
    expect(sent.filter((k) => k === `Bearer ${KEYS[1]}`)).toHaveLength(1);
    expect(sent.filter((k) => k === `Bearer ${KEYS[0]}`)).toHaveLength(6);
    const { keys } = await keysAdmin(gw);
    expect(keys.find((k) => k.key === 'sk-...0002')).toMatchObject({
      state: 'disabled',
      last_verdict: 'invalid_key',
    });
    expect(JSON.stringify(keys)).not.toContain(KEYS[1]);
    expect(gw.logs.join('')).toContain('key state changed');
    expect(gw.logs.join('')).not.toContain(KEYS[1]);
  });

  it('tells when each key was last used', async () => {
    const { gw, clock } = await setup(replyChat(), { admin: { key: 'admin-secret-1' } }, [KEYS[0]!]);
    const lastUsed = async () => (await keysAdmin(gw)).keys[0]!.last_used_at;
    expect(await lastUsed()).toBeNull();
    await chat(gw);
    expect(await lastUsed()).toBe('2023-11-14T22:13:20.000Z');
    clock.now += 90_000;
    await chat(gw);
    expect(await lastUsed()).toBe('2023-11-14T22:14:50.000Z');
  });

  it('needs 3 consecutive plain 401s to disable a key, and a success resets the count', async () => {
    let reject = true;
    const { gw } = await setup(
      (req, res) => (reject ? sendJson(res, 401, { error: { message: 'no' } }) : replyChat()(req, res)),
      { admin: { key: 'admin-secret-1' }, retry: { max_attempts: 1, backoff: 0 } },
      [KEYS[0]!],
    );
    const attempt = () => chat(gw).catch((err: { status: number }) => err.status);
    expect(await attempt()).toBe(502);
    expect(await attempt()).toBe(502);
    reject = false;
    await attempt();
    reject = true;
    expect(await attempt()).toBe(502);
    expect(await attempt()).toBe(502);
    expect((await keysAdmin(gw)).keys[0]).toMatchObject({ state: 'active', consecutive_failures: 2 });
    expect(await attempt()).toBe(502);
    expect((await keysAdmin(gw)).keys[0]).toMatchObject({ state: 'disabled' });
    const after = await fetch(`${gw.url}/v1/models`);
    expect(after.status).toBe(502);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('upstream_keys_rejected');
  });

  it('rests a key for Retry-After (2 s) while the other key serves, then uses it again', async () => {
    let limited = true;
    const { mock, gw, clock } = await setup((req, res) => {
      if (limited && req.headers.authorization === `Bearer ${KEYS[0]}`) {
        sendJson(res, 429, { error: { message: 'slow down', type: 'requests' } }, { 'retry-after': '2' });
      } else replyChat()(req, res);
    });
    const first = await chat(gw);
    expect(first.choices[0]!.message.content).toBe(keyEcho(`Bearer ${KEYS[1]}`));
    limited = false;
    const before = mock.requests.length;
    clock.now += 1_000;
    for (let i = 0; i < 3; i++) await chat(gw);
    expect(mock.requests.slice(before).every((r) => r.headers.authorization === `Bearer ${KEYS[1]}`)).toBe(
      true,
    );
    clock.now += 1_001;
    await chat(gw);
    await chat(gw);
    const used = mock.requests.slice(-2).map((r) => r.headers.authorization);
    expect(used).toContain(`Bearer ${KEYS[0]}`);
  });

  it('answers 429 with Retry-After of the earliest recovery when every key is rate limited', async () => {
    const { mock, gw } = await setup(
      (req, res) => {
        const seconds = req.headers.authorization === `Bearer ${KEYS[0]}` ? '30' : '7';
        sendJson(res, 429, { error: { message: 'limited' } }, { 'retry-after': seconds });
      },
      { retry: { backoff: 0, max_retry_after: 0 } },
    );
    const limited = await fetch(`${gw.url}/v1/models`);
    expect(limited.status).toBe(429);
    expect(mock.requests).toHaveLength(2);
    const next = await fetch(`${gw.url}/v1/models`);
    expect(next.status).toBe(429);
    expect(next.headers.get('retry-after')).toBe('7');
    expect(((await next.json()) as { error: { code: string } }).error.code).toBe('all_keys_rate_limited');
    expect(mock.requests).toHaveLength(2);
  });

  it('puts a quota-exhausted key on a long cooldown, not a permanent loss', async () => {
    const { gw, clock } = await setup(
      (req, res) =>
        req.headers.authorization === `Bearer ${KEYS[0]}`
          ? sendJson(res, 429, {
              error: { message: 'You exceeded your current quota', code: 'insufficient_quota' },
            })
          : replyChat()(req, res),
      { admin: { key: 'admin-secret-1' }, health: { quota_cooldown: '1h' } },
    );
    await chat(gw);
    const cooling = (await keysAdmin(gw)).keys.find((k) => k.key === 'sk-...0001');
    expect(cooling).toMatchObject({ state: 'cooling', last_verdict: 'quota_exhausted' });
    clock.now += 3_600_001;
    expect((await keysAdmin(gw)).keys.find((k) => k.key === 'sk-...0001')).toMatchObject({ state: 'active' });
  });

  it('never counts a client error or a cancellation against a key', async () => {
    const { mock, gw } = await setup(
      (_req, res) =>
        sendJson(res, 400, { error: { message: 'bad request', code: 'context_length_exceeded' } }),
      { admin: { key: 'admin-secret-1' } },
    );
    for (let i = 0; i < 5; i++)
      expect((await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{}' })).status).toBe(400);
    expect(mock.requests).toHaveLength(5);
    const { keys } = await keysAdmin(gw);
    expect(keys.map((k) => [k.state, k.consecutive_failures])).toEqual([
      ['active', 0],
      ['active', 0],
    ]);
  });

  it('brings a revoked-then-restored key back through validation', async () => {
    let revoked = true;
    const { mock, gw, clock } = await setup(
      (req, res) => {
        if (revoked && req.headers.authorization === `Bearer ${KEYS[0]}`) {
          sendJson(res, 401, { error: { code: 'invalid_api_key', message: 'revoked' } });
        } else replyChat()(req, res);
      },
      { admin: { key: 'admin-secret-1' }, health: { validation: { interval: '5m', path: '/v1/models' } } },
    );
    await chat(gw);
    expect((await keysAdmin(gw)).keys[0]).toMatchObject({ state: 'disabled' });
    clock.now += 60_000;
    expect(await gw.validator.runDue()).toEqual([]);
    clock.now += 240_001;
    const stillRevoked = await gw.validator.runDue();
    expect(stillRevoked).toEqual([expect.objectContaining({ ok: false, key: 'sk-...0001' })]);
    revoked = false;
    clock.now += 300_001;
    expect(await gw.validator.runDue()).toEqual([expect.objectContaining({ ok: true })]);
    expect(mock.requests.at(-1)).toMatchObject({ method: 'GET', url: '/v1/models' });
    expect((await keysAdmin(gw)).keys[0]).toMatchObject({ state: 'active' });
    const before = mock.requests.length;
    await chat(gw);
    await chat(gw);
    expect(mock.requests.slice(before).map((r) => r.headers.authorization)).toContain(`Bearer ${KEYS[0]}`);
  });

  it('returns keys on a timer when validation is off', async () => {
    const { gw, clock } = await setup(
      (_req, res) => sendJson(res, 401, { error: { code: 'invalid_api_key' } }),
      { admin: { key: 'admin-secret-1' }, health: { validation: { enabled: false, return_after: '1h' } } },
      [KEYS[0]!],
    );
    await fetch(`${gw.url}/v1/models`);
    expect((await keysAdmin(gw)).keys[0]).toMatchObject({ state: 'disabled' });
    clock.now += 3_600_001;
    await gw.validator.runDue();
    expect((await keysAdmin(gw)).keys[0]).toMatchObject({ state: 'active' });
  });

  it('validates one key on demand through the admin API', async () => {
    let revoked = true;
    const { gw } = await setup(
      (req, res) =>
        revoked ? sendJson(res, 401, { error: { code: 'invalid_api_key' } }) : replyChat()(req, res),
      { admin: { key: 'admin-secret-1' } },
      [KEYS[0]!],
    );
    await fetch(`${gw.url}/v1/models`);
    const [key] = (await keysAdmin(gw)).keys as unknown as { id: string; state: string }[];
    expect(key!.state).toBe('disabled');
    revoked = false;
    const result = await fetch(`${gw.url}/admin/upstreams/m/keys/${key!.id}/validate`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-secret-1' },
    });
    expect(await result.json()).toMatchObject({ ok: true, key: 'sk-...0001' });
    expect((await keysAdmin(gw)).keys[0]).toMatchObject({ state: 'active' });
  });
});
