import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adversary, CLIENT_TOKEN, expectForwarded, type HealthSnapshot } from './harness';

/**
 * Wrong types for every OpenAI field the gateway reads (routing, quota estimate, stream usage).
 * The gateway reads them defensively and passes the request on: the upstream owns the validation
 * of its own API. Nothing may crash, reserve a negative or infinite amount, or touch health.
 */
const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  1e308,
  '50',
  '',
  [],
  [1, 2],
  {},
  { valueOf: 3 },
];

/** `1e400` parses to Infinity and `-0` to -0: values JSON.stringify cannot give. */
const RAW_NUMBERS = ['1e400', '-1e400', '-0', '123456789012345678901234567890'];

const FIELDS = [
  'model',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'max_output_tokens',
  'n',
  'best_of',
  'messages',
  'prompt',
  'input',
  'system',
  'instructions',
  'generationConfig',
];

const MESSAGES_SHAPES: readonly unknown[] = [
  [null],
  [1, 'text', []],
  [{ role: 'user' }],
  [{ role: 'user', content: null }],
  [{ role: 'user', content: 42 }],
  [{ role: 'user', content: { text: 'x' } }],
  [
    {
      role: 'user',
      content: [null, 1, 'x', { type: 'image_url' }, { type: 'text', text: 5 }, { content: [] }],
    },
  ],
  [{ role: { nested: true }, content: [{ role: 'user', content: [{ role: 'user', content: 'deep' }] }] }],
];

describe('wrong types for the fields the gateway reads', () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  const chat = (fields: Record<string, unknown>) =>
    JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...fields });

  it.each(FIELDS)('%s: every hostile value is passed on to the upstream', async (field) => {
    for (const value of HOSTILE_VALUES) {
      const answer = await adv.post('/v1/chat/completions', chat({ [field]: value }));
      expectForwarded(answer, `${field}: ${JSON.stringify(value)}`);
    }
    for (const number of RAW_NUMBERS) {
      const body = `{"model":"gpt-4o","messages":[],"${field}":${number}}`;
      const answer = await adv.post(
        '/v1/chat/completions',
        field === 'model' ? `{"${field}":${number}}` : body,
      );
      expectForwarded(answer, `${field}: ${number}`);
    }
  });

  it.each(MESSAGES_SHAPES.map((shape) => [JSON.stringify(shape), shape]))(
    'messages %s is passed on',
    async (_name, messages) => {
      expectForwarded(await adv.post('/v1/chat/completions', chat({ messages })));
    },
  );

  it('hostile multipliers never reserve less than a plain request, nor an unbounded amount', async () => {
    // The quota holds 300 tokens; the mock reports 12 per request. A request alone is admitted
    // even when its reservation does not fit (docs/limits.md), so each one passes and the quota
    // shows what was charged: never NaN, negative or infinite.
    for (const extra of [
      { n: '1e400', max_tokens: -5 },
      { n: -1, best_of: Number.MAX_VALUE },
      { max_tokens: [], n: {}, best_of: null },
      { generationConfig: { maxOutputTokens: 'x', candidateCount: -3 } },
    ]) {
      const answer = await adv.fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_TOKEN}`, 'content-type': 'application/json' },
        body: chat(extra),
      });
      expectForwarded(answer, JSON.stringify(extra));
    }
    const client = await adv.admin<{ usage: { quota: { used: number; reserved: number } } }>(
      '/admin/clients/small',
    );
    expect(client.usage.quota).toMatchObject({ used: 4 * 12, reserved: 0 });
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', chat({})));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
