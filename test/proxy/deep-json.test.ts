import { afterEach, describe, expect, it } from 'vitest';
import { estimateRequest } from '../../src/access/usage/estimate';
import { ADMIN_KEY } from '../helpers/admin';
import { expectNoSecrets, gatewayOutput } from '../helpers/canary';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const KEY = 'sk-sy-deep-client-0123456789abcdef';
const DEPTH = 30_000;

/** Message content whose parts hold parts, DEPTH levels deep (what the estimator walks). */
function deepContent(): string {
  return `${'[{"type":"text","content":'.repeat(DEPTH)}"x"${'}]'.repeat(DEPTH)}`;
}

function deepArray(): string {
  return `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
}

describe('deeply nested request bodies', () => {
  let mock: MockUpstream;
  let gw: TestGateway;
  let running: TestGateway | undefined;

  afterEach(async () => {
    await running?.stop(1000);
    await mock?.close();
    running = undefined;
  });

  async function start(): Promise<void> {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      upstreams: [{ name: 'mock', url: mock.url }],
      routes: [
        {
          name: 'rewritten',
          match: { model: 'rewrite-*' },
          upstreams: ['mock'],
          body: { set: { user: 'gw' } },
        },
        { name: 'main', upstreams: ['mock'] },
      ],
      clients: [{ name: 'deep', key: KEY, quota: { tokens: 100_000, period: 'month' } }],
    });
    running = gw;
  }

  function post(body: string) {
    return fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body,
    });
  }

  it('answers 400 json_too_deep to content nested 30,000 levels (quota estimate), nothing sent upstream', async () => {
    await start();
    const response = await post(`{"model":"gpt-4o","messages":[{"role":"user","content":${deepContent()}}]}`);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text).error).toMatchObject({ code: 'json_too_deep', type: 'invalid_request_error' });
    expect(mock.requests.length).toBe(0);
    expectNoSecrets([KEY, ADMIN_KEY], { logs: gw.logs, text, ...(await gatewayOutput(gw.url, ADMIN_KEY)) });
  });

  it('answers 400 to a deep field on a route that rewrites the body, and to a deep streamed request', async () => {
    await start();
    const rewritten = await post(`{"model":"rewrite-me","messages":[],"metadata":${deepArray()}}`);
    expect(rewritten.status).toBe(400);
    expect((await errorOf(rewritten)).code).toBe('json_too_deep');
    const streamed = await post(`{"model":"gpt-4o","stream":true,"messages":[],"metadata":${deepArray()}}`);
    expect(streamed.status).toBe(400);
    expect((await errorOf(streamed)).code).toBe('json_too_deep');
    expect(mock.requests.length).toBe(0);
  });

  it('still serves a body nested 100 levels', async () => {
    await start();
    const nested = `${'['.repeat(100)}${']'.repeat(100)}`;
    const response = await post(
      `{"model":"rewrite-me","messages":[{"role":"user","content":"hi"}],"metadata":${nested}}`,
    );
    expect(response.status).toBe(200);
    expect(mock.requests[0]!.json().user).toBe('gw');
  });

  it('answers 400 json_too_deep on the admin API', async () => {
    await start();
    const response = await fetch(`${gw.url}/admin/settings/server.max_body_size`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: `{"value":${deepArray()}}`,
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('json_too_deep');
  });

  it('estimates content nested any depth without recursion', () => {
    let content: unknown = 'abcd';
    for (let i = 0; i < DEPTH; i++) content = [{ type: 'text', content }];
    const estimate = estimateRequest(
      { model: 'gpt-4o', max_tokens: 0, messages: [{ role: 'user', content }] },
      0,
    );
    // 3 tokens of framing for the message, one for "abcd" (four characters)
    expect(estimate.totalTokens).toBe(4);
  });
});
