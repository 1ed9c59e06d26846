import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adversary, AUTH_KEY, expectForwarded, expectGatewayError, type HealthSnapshot } from './harness';

/** NUL bytes: raw and escaped, in bodies, model names, headers and targets. */
const AUTH = `Authorization: Bearer ${AUTH_KEY}\r\n`;

describe('NUL bytes', () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  it('an escaped NUL in a string is forwarded', async () => {
    expectForwarded(
      await adv.post('/v1/chat/completions', '{"model":"gpt-4o\\u0000","messages":[{"content":"\\u0000"}]}'),
    );
  });

  it('an escaped NUL cannot split a banned model name from its prefix', async () => {
    const answer = await adv.post('/v1/chat/completions', '{"model":"banned-\\u0000x"}');
    expect(answer.status).toBe(403);
    expectGatewayError(answer.text, 'route_rejected');
  });

  it('a raw NUL in the JSON text is 400 invalid_json', async () => {
    const answer = await adv.post('/v1/chat/completions', '{"model":"gpt-4o\0"}');
    expect(answer.status).toBe(400);
    expectGatewayError(answer.text, 'invalid_json');
  });

  it.each([
    ['the request target', `GET /v1/mo\0dels HTTP/1.1\r\nHost: gw\r\n${AUTH}\r\n`],
    ['a header value', `GET /v1/models HTTP/1.1\r\nHost: gw\r\nX-A: a\0b\r\n${AUTH}\r\n`],
    ['a header name', `GET /v1/models HTTP/1.1\r\nHost: gw\r\nX-\0A: b\r\n${AUTH}\r\n`],
    ['the method', `G\0ET /v1/models HTTP/1.1\r\nHost: gw\r\n${AUTH}\r\n`],
    ['the client key', `GET /v1/models HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ${AUTH_KEY}\0\r\n\r\n`],
  ])('a raw NUL in %s is 400 bad_request, nothing forwarded', async (_name, text) => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(text);
    expect(answer.status).toBe(400);
    expectGatewayError(answer.body, 'bad_request');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('%00 in the path is kept as sent (it is not a separator)', async () => {
    const answer = await adv.raw(
      `GET /v1/models%00 HTTP/1.1\r\nHost: gw\r\n${AUTH}Connection: close\r\n\r\n`,
    );
    expectForwarded(answer);
    const seen = adv.lastSeen();
    expect(seen.url).toBe('/v1/models%00');
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
