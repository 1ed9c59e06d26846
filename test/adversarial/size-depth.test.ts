import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adversary, AUTH_KEY, expectForwarded, expectGatewayError, type HealthSnapshot } from './harness';

/** Huge, wide and deep bodies (the harness sets `server.max_body_size: 1mb`). */
const LIMIT = 1024 * 1024;

function nested(depth: number, open = '[', close = ']'): string {
  return `{"model":"gpt-4o","messages":[{"role":"user","content":${open.repeat(depth)}"x"${close.repeat(depth)}}]}`;
}

describe('huge and deep bodies', () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  it('a declared length over max_body_size is 413 before the body is read', async () => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(
      'POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${AUTH_KEY}\r\nContent-Length: ${LIMIT + 1}\r\nConnection: close\r\n\r\n{`,
    );
    expect(answer.status).toBe(413);
    expectGatewayError(answer.body, 'request_too_large');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('a chunked body that grows past max_body_size is 413', async () => {
    const chunk = 'a'.repeat(256 * 1024);
    const chunks = Array.from({ length: 5 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const answer = await adv.raw(
      'POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${AUTH_KEY}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}0\r\n\r\n`,
    );
    expect(answer.status).toBe(413);
    expectGatewayError(answer.body, 'request_too_large');
  });

  it('a body just under the limit is forwarded whole', async () => {
    const body = JSON.stringify({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x'.repeat(LIMIT - 100) }],
    });
    const sent = adv.upstreamRequests();
    expectForwarded(await adv.post('/v1/chat/completions', body));
    expect(adv.upstreamRequests()).toBe(sent + 1);
    const seen = adv.lastSeen();
    expect(seen.body.length).toBe(Buffer.byteLength(body));
  });

  it.each([
    ['arrays', '[', ']'],
    ['objects', '{"a":', '}'],
  ])(
    '%s nested 128 deep pass, 129 and 30,000 and 150,000 deep are 400 json_too_deep',
    async (_name, open, close) => {
      // The body's own object and the messages array and message object make 3 levels.
      expectForwarded(await adv.post('/v1/chat/completions', nested(125, open, close)));
      for (const depth of [126, 30_000, 150_000]) {
        const sent = adv.upstreamRequests();
        const answer = await adv.post('/v1/chat/completions', nested(depth, open, close));
        expect(answer.status, `depth ${depth}`).toBe(400);
        expectGatewayError(answer.text, 'json_too_deep');
        expect(adv.upstreamRequests()).toBe(sent);
      }
    },
  );

  it('deep JSON under a non-JSON content type on another path is refused too', async () => {
    const answer = await adv.post('/v1/anything', nested(10_000), 'text/plain');
    expect(answer.status).toBe(400);
    expectGatewayError(answer.text, 'json_too_deep');
  });

  it.each([
    [
      '60,000 keys',
      `{"model":"gpt-4o",${Array.from({ length: 60_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
    ],
    [
      '200,000 messages',
      JSON.stringify({ model: 'gpt-4o', messages: Array.from({ length: 200_000 }, () => 'x') }),
    ],
    [
      '30,000 content parts',
      JSON.stringify({
        model: 'gpt-4o',
        messages: [{ content: Array(30_000).fill({ type: 'text', text: 'x' }) }],
      }),
    ],
  ])('a wide body (%s) is forwarded', async (_name, body) => {
    expect(Buffer.byteLength(body)).toBeLessThan(LIMIT);
    expectForwarded(await adv.post('/v1/chat/completions', body));
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
