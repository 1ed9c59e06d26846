import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, startMock, startSse } from '../helpers/mock-upstream';
import { OPENAI_TEXT } from '../helpers/provider-streams';
import { validateAnthropicStream } from '../helpers/stream-validators';

const ADMIN = 'sk-admin-key-for-translate-03';

describe('a translated stream on a caching route', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock((_req, res) => {
      startSse(res);
      for (const part of OPENAI_TEXT) res.write(part);
      res.end();
    });
    gw = await startTestGateway({
      admin: { key: ADMIN },
      cache: { enabled: true },
      upstreams: [{ name: 'oai', url: mock.url, keys: ['sk-oai-0001'] }],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  it('is charged the usage the upstream reported, not the estimate message_start announced', async () => {
    // A long prompt: the local estimate in message_start is far above the 30 tokens reported.
    const prompt = 'lorem ipsum dolor sit amet '.repeat(100);
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client-unused' },
      body: JSON.stringify({
        model: 'claude-x',
        max_tokens: 9,
        stream: true,
        messages: [{ role: 'user', content: prompt }],
      }),
    });
    expect(response.headers.get('x-switchyard-cache')).toBe('miss');
    const events = validateAnthropicStream(await response.text());
    expect(events[0]!.message?.usage?.input_tokens).toBeGreaterThan(100);
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(row).toMatchObject({
      prompt_tokens: 30,
      cached_tokens: 20,
      completion_tokens: 2,
      tokens_estimated: 0,
    });
  });
});
