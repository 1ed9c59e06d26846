import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { parseMetrics } from '../helpers/prometheus';

describe('failed admin key attempts are limited per address', () => {
  let gw: TestGateway;
  let clock = 1_700_000_000_000;

  beforeAll(async () => {
    gw = await startTestGateway(
      { admin: { key: ADMIN_KEY }, upstreams: [{ name: 'mock', url: 'http://127.0.0.1:9' }] },
      { now: () => clock },
    );
  });
  afterAll(async () => {
    await gw.stop();
  });

  it('answers 429 with Retry-After after 10 failures in a minute, even to the right key, until the minute ends', async () => {
    for (let i = 0; i < 10; i++) {
      const wrong = await admin(gw.url, 'GET', '/admin/upstreams', { key: `wrong-key-${i}` });
      expect(wrong.status).toBe(401);
      clock += 1000;
    }
    const limited = await admin(gw.url, 'GET', '/admin/upstreams', { key: 'wrong-key-x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(limited.body).toEqual({
      error: {
        message: 'Too many failed admin key attempts from this address; retry after the time in Retry-After.',
        type: 'rate_limit_error',
        param: null,
        code: 'admin_rate_limited',
      },
    });
    expect((await admin(gw.url, 'GET', '/admin/upstreams')).status).toBe(429);
    clock += 50_000;
    const metrics = await admin(gw.url, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(
      parseMetrics(metrics.text).sample('switchyard_client_errors_total', { reason: 'admin_auth_limited' }),
    ).toBe('2');
  });
});
