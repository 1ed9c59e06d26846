import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, startMock, startSse } from '../helpers/mock-upstream';
import { OPENAI_TEXT } from '../helpers/provider-streams';
import { validateResponsesStream } from '../helpers/responses-validator';

const KEY = 'sk-sy-alice-responses-0123456789';
const ADMIN = 'sk-admin-key-for-responses-04';
const NOW = Date.UTC(2026, 5, 10, 12);

describe('translated Responses requests under a quota, with key rotation', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock((_req, res) => {
      startSse(res);
      for (const part of OPENAI_TEXT) res.write(part);
      res.end();
    });
    gw = await startTestGateway(
      {
        admin: { key: ADMIN },
        upstreams: [
          {
            name: 'chat',
            url: mock.url,
            format: 'openai-chat',
            keys: ['sk-chat-key-0001', 'sk-chat-key-0002'],
          },
        ],
        clients: [{ name: 'alice', key: KEY, quota: { tokens: 60, period: 'month' } }],
      },
      { now: () => NOW },
    );
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  function post() {
    return fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, max_output_tokens: 5, input: 'hi' }),
    });
  }

  it('charges the reported usage, rotates keys, and refuses once the quota is spent', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await post();
      expect(response.status).toBe(200);
      validateResponsesStream(await response.text());
    }
    expect(mock.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer sk-chat-key-0001',
      'Bearer sk-chat-key-0002',
    ]);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(await errorOf(refused)).toMatchObject({ code: 'quota_exceeded' });
    expect(mock.requests.length).toBe(2);
    const client = await fetch(`${gw.url}/admin/clients/alice`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<{ usage: { quota: { used: number; reserved: number } } }>);
    expect(client.usage.quota).toMatchObject({ used: 64, reserved: 0 });
  });
});
