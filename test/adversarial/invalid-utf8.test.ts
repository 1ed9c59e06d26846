import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adversary, AUTH_KEY, expectForwarded, expectGatewayError, type HealthSnapshot } from './harness';

/** Bytes that are not UTF-8, in bodies, model names, headers and targets. */
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

describe('invalid UTF-8', () => {
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
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a surrogate encoded', [0xed, 0xa0, 0x80]],
    ['bytes past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['0xFF 0xFE', [0xff, 0xfe]],
  ])('%s inside a message is forwarded as sent', async (_name, bad) => {
    const body = bytes('{"model":"gpt-4o","messages":[{"role":"user","content":"a', bad, 'b"}]}');
    expectForwarded(await adv.post('/v1/chat/completions', body));
    const seen = adv.lastSeen();
    expect(seen.body.equals(body)).toBe(true);
  });

  it('a banned model with invalid bytes after the prefix is still refused', async () => {
    const answer = await adv.post('/v1/chat/completions', bytes('{"model":"banned-', [0xff], '"}'));
    expect(answer.status).toBe(403);
    expectGatewayError(answer.text, 'route_rejected');
  });

  it('invalid bytes outside strings are 400 invalid_json', async () => {
    const answer = await adv.post('/v1/chat/completions', bytes('{"model":"gpt-4o"', [0xff], '}'));
    expect(answer.status).toBe(400);
    expectGatewayError(answer.text, 'invalid_json');
  });

  it('UTF-16 JSON is 400 invalid_json', async () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"model":"gpt-4o"}', 'utf16le')]);
    const answer = await adv.post('/v1/chat/completions', body);
    expect(answer.status).toBe(400);
    expectGatewayError(answer.text, 'invalid_json');
  });

  it('invalid bytes in the request target are 400 bad_request; in a header value, forwarded', async () => {
    const target = await adv.raw(
      bytes(
        'GET /v1/models/',
        [0xff, 0xfe],
        ` HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ${AUTH_KEY}\r\n\r\n`,
      ),
    );
    expect(target.status).toBe(400);
    expectGatewayError(target.body, 'bad_request');
    const header = await adv.raw(
      bytes(
        `GET /v1/models HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ${AUTH_KEY}\r\nX-Title: `,
        [0xff, 0xc0, 0xaf],
        '\r\nConnection: close\r\n\r\n',
      ),
    );
    expectForwarded(header);
  });

  it('invalid bytes in the client key are a plain 401', async () => {
    const answer = await adv.raw(
      bytes(
        'GET /v1/models HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer sk-',
        [0xff, 0xfe],
        '\r\nConnection: close\r\n\r\n',
      ),
    );
    expect(answer.status).toBe(401);
    expectGatewayError(answer.body, 'invalid_api_key');
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
