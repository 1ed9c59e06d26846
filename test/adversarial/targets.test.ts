import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adversary, AUTH_KEY, expectForwarded, expectGatewayError, type HealthSnapshot } from './harness';

/** Absolute-form and odd request targets (docs/routing.md, "Request targets"). */
const request = (target: string, method = 'GET') =>
  `${method} ${target} HTTP/1.1\r\nHost: gw.example\r\nAuthorization: Bearer ${AUTH_KEY}\r\nConnection: close\r\n\r\n`;

describe('absolute and odd request targets', () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  it.each([
    '/v1/files%2fabc',
    '/v1/files%5Cabc',
    '/v1\\files\\abc',
    '/../admin/config',
    '/v1/../../admin/config',
    '/%2e%2e/admin',
    '*',
    'ftp://evil.example/v1/models',
    'file:///etc/passwd',
    'http:///v1/models',
    '/v1/models#fragment',
  ])('%s is 400 invalid_target and never forwarded', async (target) => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(request(target));
    expect(answer.status).toBe(400);
    expectGatewayError(answer.body, 'invalid_target');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it.each(['v1/models', 'javascript:alert(1)'])(
    '%s is refused by the HTTP parser: 400 bad_request',
    async (target) => {
      const sent = adv.upstreamRequests();
      const answer = await adv.raw(request(target));
      expect(answer.status).toBe(400);
      expectGatewayError(answer.body, 'bad_request');
      expect(adv.upstreamRequests()).toBe(sent);
    },
  );

  it.each([
    '/v1/x/../files/a',
    '//v1/files/a',
    '/v1/./files/a',
    '/v1/x/%2E%2E/files/a',
    '/health/../v1/files/a',
    'http://evil.example/v1/files/a',
    'HTTPS://EVIL.EXAMPLE/v1/files/a',
    'http://user:secret@evil.example/v1/files/a',
    'http://[::1]:99999/v1//files/a',
  ])('%s cannot get past a reject rule on /v1/files/**', async (target) => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(request(target));
    expect(answer.status).toBe(403);
    expectGatewayError(answer.body, 'route_rejected');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it.each([
    ['http://evil.example/v1/models', '/v1/models'],
    ['http://evil.example', '/'],
    ['//evil.example/v1/models', '/evil.example/v1/models'],
    ['/v1/models?next=http://evil.example/&x=%2F..', '/v1/models?next=http://evil.example/&x=%2F..'],
    ['/v1/models/%41%zz', '/v1/models/%41%zz'],
    [`/v1/${'a'.repeat(6000)}`, `/v1/${'a'.repeat(6000)}`],
  ])('%s is forwarded as exactly %s, to the upstream host only', async (target, path) => {
    expectForwarded(await adv.raw(request(target)));
    const seen = adv.lastSeen();
    expect(seen.url).toBe(path);
    expect(seen.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('a path that climbs into the admin API is the admin API, and needs the admin key', async () => {
    for (const target of ['/v1/../admin/config', '/v1/%2e%2e/metrics']) {
      const answer = await adv.raw(request(target));
      expect(answer.status).toBe(401);
      expectGatewayError(answer.body, 'admin_unauthorized');
    }
  });

  it('OPTIONS * is answered by the gateway; * with any other method is refused', async () => {
    const sent = adv.upstreamRequests();
    const options = await adv.raw(request('*', 'OPTIONS'));
    expect(options.status).toBe(200);
    expect(options.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    const post = await adv.raw(request('*', 'POST'));
    expect(post.status).toBe(400);
    expectGatewayError(post.body, 'invalid_target');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
