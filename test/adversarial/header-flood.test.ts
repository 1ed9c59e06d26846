import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Adversary,
  AUTH_KEY,
  CLIENT_TOKEN,
  expectForwarded,
  expectGatewayError,
  type HealthSnapshot,
} from './harness';

/** Header floods, oversized and duplicated headers, and the client headers the gateway rewrites. */
const AUTH = `Authorization: Bearer ${AUTH_KEY}\r\n`;
const GET = `GET /v1/models HTTP/1.1\r\nHost: gw\r\n${AUTH}`;

describe('header floods', () => {
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
    ['one 20 KiB header', `X-Big: ${'a'.repeat(20_000)}\r\n`],
    ['4,000 small headers', Array.from({ length: 4000 }, (_, i) => `X-H${i}: v\r\n`).join('')],
    ['a 17 KiB Host', `X-Host: ${'h'.repeat(17_000)}\r\n`],
    ['a 17 KiB cookie', `Cookie: ${'c=1; '.repeat(3500)}\r\n`],
  ])('%s is 431 headers_too_large, nothing forwarded', async (_name, headers) => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(`${GET}${headers}\r\n`);
    expect(answer.status).toBe(431);
    expectGatewayError(answer.body, 'headers_too_large');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('a request line of 17 KiB is 431 (the line counts toward the header limit)', async () => {
    const answer = await adv.raw(`GET /v1/${'a'.repeat(17_000)} HTTP/1.1\r\nHost: gw\r\n${AUTH}\r\n`);
    expect([414, 431]).toContain(answer.status);
    expectGatewayError(answer.body, 'headers_too_large');
  });

  it('500 small headers within the limit are forwarded', async () => {
    const headers = Array.from({ length: 500 }, (_, i) => `X-H${i}: v\r\n`).join('');
    expectForwarded(await adv.raw(`${GET}${headers}Connection: close\r\n\r\n`));
    expect(adv.lastSeen().headers['x-h499']).toBe('v');
  });

  it('the client credential, cookies and forwarding claims never reach the upstream', async () => {
    const answer = await adv.raw(
      `${GET}X-Api-Key: ${CLIENT_TOKEN}\r\nApi-Key: ${CLIENT_TOKEN}\r\nCookie: session=abc\r\n` +
        'X-Forwarded-For: 203.0.113.9\r\nForwarded: for=203.0.113.9\r\nX-Real-IP: 203.0.113.9\r\n' +
        'Connection: close\r\n\r\n',
    );
    expectForwarded(answer);
    const seen = adv.lastSeen().headers;
    expect(seen.authorization).toMatch(/^Bearer sk-adv[AB][123]-/);
    expect(seen['x-api-key']).toBeUndefined();
    expect(seen['api-key']).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen.forwarded).toBeUndefined();
    expect(seen['x-real-ip']).toBeUndefined();
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('a repeated Authorization header: the first one counts, as Node keeps it', async () => {
    const wrongFirst = await adv.raw(
      `GET /v1/models HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer wrong\r\n${AUTH}Connection: close\r\n\r\n`,
    );
    expect(wrongFirst.status).toBe(401);
    expectGatewayError(wrongFirst.body, 'invalid_api_key');
    const rightFirst = await adv.raw(`${GET}Authorization: Bearer wrong\r\nConnection: close\r\n\r\n`);
    expectForwarded(rightFirst);
  });

  it('hop-by-hop headers the client names are not forwarded', async () => {
    expectForwarded(
      await adv.raw(
        `${GET}Connection: close, X-Drop-Me\r\nX-Drop-Me: 1\r\nKeep-Alive: timeout=999\r\nTE: trailers\r\n\r\n`,
      ),
    );
    const seen = adv.lastSeen().headers;
    expect(seen['keep-alive']).toBeUndefined();
    expect(seen.te).toBeUndefined();
    expect(seen['x-drop-me']).toBeUndefined();
  });

  it('a refused CORS preflight gets 403 forbidden in the OpenAI shape', async () => {
    const answer = await adv.fetch('/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST' },
    });
    expect(answer.status).toBe(403);
    expectGatewayError(answer.text, 'forbidden');
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
