import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adversary, expectForwarded, expectGatewayError, type HealthSnapshot } from './harness';

/** Odd and lying content types: JSON is read whatever the type says (docs/routing.md). */
const TYPES: (string | null)[] = [
  null,
  '',
  'text/plain',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/json, text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'image/png',
  ';;;',
  'a/b/c',
  `text/${'x'.repeat(4000)}`,
];

describe('odd content types', () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  it.each(TYPES)('a banned model under content type %j is still refused', async (type) => {
    const sent = adv.upstreamRequests();
    const answer = await adv.post('/v1/chat/completions', '{"model":"banned-x","messages":[]}', type);
    expect(answer.status).toBe(403);
    expectGatewayError(answer.text, 'route_rejected');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it.each(TYPES)(
    'a body that is not JSON on a JSON-only endpoint under %j is 400 invalid_json',
    async (type) => {
      const answer = await adv.post('/v1/embeddings', 'model=gpt-4o&input=hi', type);
      expect(answer.status).toBe(400);
      expectGatewayError(answer.text, 'invalid_json');
    },
  );

  it('an upload on another path is passed on unread', async () => {
    const form =
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF\0\0\r\n--x--\r\n';
    expectForwarded(await adv.post('/v1/audio/transcriptions', form, 'multipart/form-data; boundary=x'));
    expectForwarded(
      await adv.post('/v1/uploads/abc/parts', new Uint8Array([0, 255, 1, 254]), 'application/octet-stream'),
    );
  });

  it('a declared JSON body that does not parse on another path is 400; undeclared text is passed on', async () => {
    const declared = await adv.post('/v1/anything', 'not json', 'application/json');
    expect(declared.status).toBe(400);
    expectGatewayError(declared.text, 'invalid_json');
    expectForwarded(await adv.post('/v1/anything', 'not json', 'text/plain'));
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
