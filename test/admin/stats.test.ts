import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestContext } from '../../src/core/context';
import { MAX_SERIES_PER_SLOT, type SeriesStats } from '../../src/observe/stats/collector';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

describe('GET /admin/stats', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      server: { auth_keys: ['sk-team-a-000000001'] },
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-stat-0001'] }],
    });
    for (let i = 0; i < 3; i++) {
      await gw.client('sk-team-a-000000001').chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
    }
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  it('reports each dimension with percentiles, secrets masked', async () => {
    const res = await admin<Record<string, SeriesStats[]> & { window: string }>(
      gw.url,
      'GET',
      '/admin/stats?window=minute',
    );
    expect(res.status).toBe(200);
    expect(res.body.window).toBe('minute');
    expect(res.body.upstreams![0]).toMatchObject({ name: 'mock', requests: 3, outcomes: { success: 3 } });
    expect(res.body.upstreams![0]!.latency_ms).toEqual({
      p50: expect.any(Number),
      p95: expect.any(Number),
      p99: expect.any(Number),
    });
    expect(res.body.keys![0]).toMatchObject({ upstream: 'mock', key: 'sk-...0001', requests: 3 });
    expect(res.body.routes![0]).toMatchObject({ name: 'default', requests: 3 });
    expect(res.body.clients![0]).toMatchObject({ name: 'sk-...0001', requests: 3 });
    expect(res.body.models![0]).toMatchObject({ name: 'gpt-4o-mini', requests: 3 });
    expect(res.text).not.toContain('sk-upstream-stat-0001');
    expect(res.text).not.toContain('sk-team-a-000000001');
  });

  it('gives the window slot by slot at /admin/stats/timeline', async () => {
    const res = await admin<{ resolution_seconds: number; slots: Record<string, unknown>[] }>(
      gw.url,
      'GET',
      '/admin/stats/timeline?window=minute&by=total,upstream',
    );
    expect(res.status).toBe(200);
    expect(res.body.resolution_seconds).toBe(10);
    expect(res.body.slots).toHaveLength(6);
    const requests = res.body.slots.map((slot) => (slot.total as SeriesStats).requests);
    expect(requests.reduce((a, b) => a + b, 0)).toBe(3);
    expect(Object.keys(res.body.slots[0]!).sort()).toEqual(['start', 'total', 'upstreams']);
    expect((await admin(gw.url, 'GET', '/admin/stats/timeline', { key: 'wrong' })).status).toBe(401);
  });

  it('narrows to the dimensions asked for and names a bad parameter', async () => {
    const res = await admin(gw.url, 'GET', '/admin/stats?by=model&window=day');
    expect(Object.keys(res.body).sort()).toEqual(['from', 'models', 'resolution_seconds', 'to', 'window']);
    const bad = await admin(gw.url, 'GET', '/admin/stats?window=week');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'validation_failed', param: 'window' } });
  });
});

describe('GET /admin/stats under a flood of invented model names', () => {
  it('keeps the configured models apart and counts the rest under (other)', async () => {
    const mock = await startMock(replyChat());
    const gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      upstreams: [{ name: 'mock', url: mock.url, models: ['gpt-4o-mini'] }],
    });
    try {
      const stats = gw.control.stats!;
      for (let i = 0; i < MAX_SERIES_PER_SLOT; i++) {
        const ctx = new RequestContext(`r${i}`, 'POST', '/v1/chat/completions', 'h', 'ip', '', 0, {});
        ctx.model = `invented-${i}`;
        stats.record(ctx);
      }
      const chat = (model: string) =>
        gw.client().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
      await chat('gpt-4o-mini');
      await chat('one-more-invented');
      const route = { name: 'alias', match: { model: 'my-alias' }, rewrite: { model: 'gpt-4o-mini' } };
      const created = await admin(gw.url, 'POST', '/admin/routes', {
        json: { ...route, upstreams: ['mock'] },
      });
      expect(created.status).toBe(201);
      await chat('my-alias');
      const res = await admin<{ models: SeriesStats[] }>(gw.url, 'GET', '/admin/stats?by=model&limit=100000');
      expect(res.body.models).toHaveLength(MAX_SERIES_PER_SLOT + 3);
      const byName = new Map(res.body.models.map((s) => [s.name, s.requests]));
      expect(byName.get('gpt-4o-mini')).toBe(1);
      expect(byName.get('my-alias')).toBe(1);
      expect(byName.get('(other)')).toBe(1);
      expect(byName.has('one-more-invented')).toBe(false);
    } finally {
      await gw.stop(1000);
      await mock.close();
    }
  });
});
