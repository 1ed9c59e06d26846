import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway } from '../helpers/gateway';
import { keyEcho, type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('admin API objects survive a restart', () => {
  let mock: MockUpstream;
  let dir: string;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    dir = mkdtempSync(join(tmpdir(), 'sy-persist-'));
  });

  afterAll(async () => {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the stored upstreams, keys, routes and settings at start', async () => {
    const input = { admin: { key: ADMIN_KEY }, store: { path: join(dir, 'switchyard.db') } };
    const first = await startTestGateway(input);
    await admin(first.url, 'POST', '/admin/upstreams', {
      json: { name: 'kept', url: mock.url, keys: ['sk-kept-key-00000000001', 'sk-kept-key-00000000002'] },
    });
    const keys = await admin<{ keys: { id: string }[] }>(first.url, 'GET', '/admin/upstreams/kept/keys');
    await admin(first.url, 'PATCH', `/admin/upstreams/kept/keys/${keys.body.keys[0]!.id}`, {
      json: { enabled: false },
    });
    await admin(first.url, 'PUT', '/admin/settings/server.trust_proxy', { json: { value: true } });
    await first.stop(1000);

    const second = await startTestGateway(input);
    try {
      expect(second.gateway.runtime.config.server.trust_proxy).toBe(true);
      const reply = await second.client().chat.completions.create(CHAT);
      expect(reply.choices[0]!.message.content).toBe(keyEcho('Bearer sk-kept-key-00000000002'));
      const list = await admin<{ total: number }>(
        second.url,
        'GET',
        '/admin/upstreams/kept/keys?enabled=false',
      );
      expect(list.body.total).toBe(1);
    } finally {
      await second.stop(1000);
    }
  });

  it('starts on the file alone, loudly, when the stored objects no longer fit it', async () => {
    const path = join(dir, 'fit.db');
    const first = await startTestGateway({
      admin: { key: ADMIN_KEY },
      store: { path },
      upstreams: [{ name: 'file-up', url: mock.url }],
    });
    await admin(first.url, 'POST', '/admin/routes', { json: { name: 'api-route', upstreams: ['file-up'] } });
    await first.stop(1000);

    const second = await startTestGateway({
      admin: { key: ADMIN_KEY },
      store: { path },
      upstreams: [{ name: 'renamed', url: mock.url }],
    });
    try {
      expect(second.gateway.runtime.routes.map((r) => r.name)).toEqual(['default']);
      expect(second.logs.join('')).toContain('unknown upstream \\"file-up\\"');
      expect((await second.client().chat.completions.create(CHAT)).choices).toHaveLength(1);
    } finally {
      await second.stop(1000);
    }
  });
});
