import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { rawRequest } from '../helpers/raw-http';

function get(target: string, host = 'gateway.test'): string {
  return `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer sk-client\r\nConnection: close\r\n\r\n`;
}

describe('request targets are normalised once, before routing and forwarding', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      upstreams: [{ name: 'openai', url: `${mock.url}/prefix/openai`, keys: ['sk-upstream-000000000001'] }],
      routes: [
        { name: 'no-files', match: { path: '/v1/files/**' }, reject: { message: 'files are off' } },
        { name: 'default', upstreams: ['openai'] },
      ],
    });
  });
  afterAll(async () => {
    await gw.stop();
    await mock.close();
  });
  beforeEach(() => {
    mock.requests.length = 0;
  });

  it.each([
    '/v1/files/abc',
    '/v1/x/../files/abc',
    '/v1/./files/abc',
    '/v1//files/abc',
    '//v1/files/abc',
    '/v1/x/%2e%2e/files/abc',
    '/v1/x/%2E%2E/files/abc',
    'http://evil.example/v1/files/abc',
  ])('the reject on /v1/files/** holds for %s', async (target) => {
    const answer = await rawRequest(gw.url, get(target));
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.code).toBe('route_rejected');
    expect(mock.requests).toHaveLength(0);
  });

  it.each([
    ['/v1/files%2fabc', 'encoded separator %2f'],
    ['/v1/files%2Fabc', 'encoded separator %2F'],
    ['/v1/files%5cabc', 'encoded separator %5c'],
    ['/v1/files\\abc', 'Backslashes'],
    ['/../../admin/secret', 'above the root'],
    ['/v1/%2e%2e/%2e%2e/admin', 'above the root'],
    ['*', 'only allowed with OPTIONS'],
    ['ftp://evil.example/v1/models', 'Only http and https'],
  ])('%s is refused with 400 invalid_target and never sent upstream', async (target, says) => {
    const answer = await rawRequest(gw.url, get(target));
    expect(answer.status).toBe(400);
    const { error } = JSON.parse(answer.body);
    expect(error).toEqual({
      message: expect.stringContaining(says),
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_target',
    });
    expect(mock.requests).toHaveLength(0);
  });

  it.each([
    ['/v1/x/../chat/completions?a=1&b=%2F', '/prefix/openai/v1/chat/completions?a=1&b=%2F'],
    ['/v1//chat///completions', '/prefix/openai/v1/chat/completions'],
    ['/v1/models/./gpt-4o/', '/prefix/openai/v1/models/gpt-4o/'],
    ['/v1/%2e/models', '/prefix/openai/v1/models'],
    ['/V1/files/abc', '/prefix/openai/V1/files/abc'],
    ['http://evil.example/v1/models?x=y', '/prefix/openai/v1/models?x=y'],
  ])('%s is forwarded as exactly %s', async (target, seen) => {
    const answer = await rawRequest(gw.url, get(target));
    expect(answer.status).toBe(200);
    expect(mock.requests.map((r) => r.url)).toEqual([seen]);
  });

  it('an absolute-form target takes its host from the URL, not the Host header', async () => {
    const hosts = await startTestGateway({
      upstreams: [{ name: 'openai', url: mock.url, keys: ['sk-upstream-000000000001'] }],
      routes: [
        { name: 'internal', match: { host: 'internal.example' }, reject: { message: 'internal' } },
        { name: 'default', upstreams: ['openai'] },
      ],
    });
    try {
      const absolute = await rawRequest(
        hosts.url,
        get('http://internal.example/v1/models', 'public.example'),
      );
      expect(absolute.status).toBe(403);
      const origin = await rawRequest(hosts.url, get('/v1/models', 'public.example'));
      expect(origin.status).toBe(200);
      expect(mock.requests.map((r) => r.url)).toEqual(['/v1/models']);
    } finally {
      await hosts.stop();
    }
  });

  it('OPTIONS * is answered by the gateway itself', async () => {
    const answer = await rawRequest(
      gw.url,
      'OPTIONS * HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n',
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(mock.requests).toHaveLength(0);
  });
});
