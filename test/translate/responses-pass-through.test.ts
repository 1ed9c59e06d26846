import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, sendJson, startMock, startSse } from '../helpers/mock-upstream';
import { RESPONSES_TEXT } from '../helpers/responses-streams';
import { validateResponsesStream } from '../helpers/responses-validator';

const ADMIN = 'sk-admin-key-for-responses-03';

describe('OpenAI Responses to an upstream of format openai', () => {
  let native: MockUpstream;
  let chat: MockUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    native = await startMock((req, res) => {
      if (!req.json<{ stream?: boolean }>().stream) {
        sendJson(res, 200, { id: 'resp_native', object: 'response', status: 'completed', output: [] });
        return;
      }
      startSse(res);
      for (const part of RESPONSES_TEXT) res.write(part);
      res.end();
    });
    chat = await startMock((_req, res) => sendJson(res, 500, { error: { message: 'not reached' } }));
    gw = await startTestGateway({
      admin: { key: ADMIN },
      upstreams: [
        { name: 'native', url: native.url, keys: ['sk-openai-upstream-0001'], priority: 1 },
        { name: 'chat-only', url: chat.url, format: 'openai-chat', keys: ['sk-chat-0001'] },
      ],
      routes: [
        { name: 'mixed', match: { model: 'gpt-mixed' }, upstreams: ['chat-only', 'native'] },
        { name: 'native', upstreams: ['native'] },
      ],
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await Promise.all([native.close(), chat.close()]);
  });

  function post(body: string) {
    return fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-unused' },
      body,
    });
  }

  it('passes the request and the stream through byte for byte, and reads the usage', async () => {
    // Field order, spacing, unknown fields and an opaque reasoning blob: re-serialising would change some.
    const body =
      '{"model":"gpt-4.1",  "stream":true,"store":false,"include":["reasoning.encrypted_content"],' +
      '"input":[{"type":"reasoning","summary":[],"encrypted_content":"gAAAAB=="},{"role":"user","content":"hi"}],"x_unknown":1}';
    const response = await post(body);
    const text = await response.text();
    expect(text).toBe(RESPONSES_TEXT.join(''));
    validateResponsesStream(text);
    const seen = native.requests.at(-1)!;
    expect(seen.url).toBe('/v1/responses');
    expect(seen.body.toString('utf8')).toBe(body);
    expect(seen.headers.authorization).toBe('Bearer sk-openai-upstream-0001');
    const row = await fetch(`${gw.url}/admin/requests/${response.headers.get('x-request-id')}`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(row).toMatchObject({
      prompt_tokens: 37,
      completion_tokens: 11,
      total_tokens: 48,
      attempts: [expect.objectContaining({ upstream: 'native', format: null })],
    });
  });

  it('serves previous_response_id from the upstream that keeps the state, skipping one that cannot', async () => {
    const before = chat.requests.length;
    const response = await post('{"model":"gpt-mixed","input":"more","previous_response_id":"resp_1"}');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(await response.json()).toMatchObject({ id: 'resp_native' });
    expect(native.requests.at(-1)!.body.toString('utf8')).toBe(
      '{"model":"gpt-mixed","input":"more","previous_response_id":"resp_1"}',
    );
    expect(chat.requests.length).toBe(before);
  });

  it('leaves out reasoning the gateway wrote for Anthropic, which OpenAI cannot decrypt', async () => {
    const input = [
      { role: 'user', content: 'hi' },
      { type: 'reasoning', summary: [], encrypted_content: 'anthropic.thinking:EqQBsig' },
      { type: 'reasoning', summary: [], encrypted_content: 'gAAAAB==' },
      { type: 'function_call', call_id: 'toolu_1', name: 'w', arguments: '{}' },
      { type: 'function_call_output', call_id: 'toolu_1', output: 'ok' },
    ];
    const response = await post(JSON.stringify({ model: 'gpt-4.1', input, store: false }));
    expect(response.status).toBe(200);
    expect(native.requests.at(-1)!.json()).toEqual({
      model: 'gpt-4.1',
      input: [input[0], input[2], input[3], input[4]],
      store: false,
    });
  });

  it('works with the official SDK end to end', async () => {
    const final = await gw.client().responses.stream({ model: 'gpt-4.1', input: 'hi' }).finalResponse();
    expect(final.output_text).toBe('Hi there');
    expect(final.usage?.total_tokens).toBe(48);
  });
});
