import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adversary, expectForwarded, expectGatewayError, type HealthSnapshot } from './harness';

/** Malformed and hostile JSON on an endpoint that only takes JSON. */
const MARK = 'ECHO-ME-NOT-7f3a';
const MALFORMED = [
  `{`,
  `{"model":"${MARK}"`,
  `{"model":"gpt-4o",}`,
  `{'model':'${MARK}'}`,
  `{"model":"gpt-4o"}}`,
  `{"model":NaN}`,
  `{"model":"gpt-4o","max_tokens":Infinity}`,
  `\uFEFF{"model":"gpt-4o"}`,
  `{"model":"gpt-4o" /* ${MARK} */}`,
  `[1,2`,
  `nul`,
  `{"model":"\\x41"}`,
  `{"model":"\\u12"}`,
  `${MARK}`,
  `"${MARK}`,
];

describe('malformed and hostile JSON', () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  it.each(MALFORMED)('%j is 400 invalid_json, never echoed, never sent upstream', async (body) => {
    const sent = adv.upstreamRequests();
    const answer = await adv.post('/v1/chat/completions', body);
    expect(answer.status).toBe(400);
    expectGatewayError(answer.text, 'invalid_json');
    expect(answer.text).not.toContain(MARK);
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it.each([
    [
      'prototype keys',
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"model":"gpt-4o"}',
    ],
    ['duplicate keys', '{"model":"x","model":"gpt-4o","messages":[],"messages":[]}'],
    ['a lone surrogate', '{"model":"gpt-4o","messages":[{"role":"user","content":"\\ud800"}]}'],
    ['a top-level array', '[{"model":"banned-x"}]'],
    ['a top-level string', '"banned-x"'],
    ['a top-level null', 'null'],
    ['a top-level number', '1e400'],
    ['empty containers', '{"model":"gpt-4o","messages":[{}],"":{"":[]}}'],
  ])('%s: forwarded, no pollution of the gateway process', async (_name, body) => {
    expectForwarded(await adv.post('/v1/chat/completions', body));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it.each([
    ['an escaped name', '{"model":"banned\\u002dx"}'],
    ['a duplicate key, banned last', '{"model":"gpt-4o","model":"banned-x"}'],
    ['whitespace around the body', ' \n\t{"model":"banned-x"}\r\n '],
  ])('%s cannot slip past a reject rule on the model', async (_name, body) => {
    const sent = adv.upstreamRequests();
    const answer = await adv.post('/v1/chat/completions', body);
    expect(answer.status).toBe(403);
    expectGatewayError(answer.text, 'route_rejected');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
