import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicErrorType } from '../../src/core/error-shapes';
import { closedPortUrl } from '../helpers/closed-port';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

const KEY = 'sk-sy-gateway-errors-client-01';
const LIMITED = 'sk-sy-gateway-errors-limited-2';

describe('the gateway’s own errors in the client API’s shape', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      clients: [
        { name: 'ok', key: KEY },
        { name: 'limited', key: LIMITED, limits: { rpm: 1 } },
      ],
      upstreams: [{ name: 'gone', url: await closedPortUrl(), provider: 'anthropic', keys: ['sk-ant-0001'] }],
      routes: [{ name: 'claude', match: { model: 'claude-*' }, upstreams: ['gone'] }],
      retry: { max_attempts: 1 },
    });
  });

  afterAll(async () => {
    await gw.stop(1000);
  });

  const anthropic = (apiKey: string) => new Anthropic({ apiKey, baseURL: gw.url, maxRetries: 0 });
  const ask = (client: Anthropic, model = 'claude-sonnet-4-5') =>
    client.messages.create({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });

  async function caught(promise: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
    try {
      await promise;
    } catch (err) {
      if (err instanceof Anthropic.APIError) return err;
      throw err;
    }
    throw new Error('the call did not fail');
  }

  it('answers a bad key with 401 authentication_error, which the SDK raises as AuthenticationError', async () => {
    const err = await caught(ask(anthropic('sk-sy-nobody-000000000000000')));
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.error).toEqual({
      type: 'error',
      error: {
        type: 'authentication_error',
        message: 'Invalid or missing API key. Send it as "Authorization: Bearer <key>".',
      },
      request_id: err.headers?.get('x-request-id'),
    });
    const count = await caught(
      anthropic('sk-sy-nobody-000000000000000').messages.countTokens({
        model: 'claude-sonnet-4-5',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(count).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('answers a client rate limit with 429 rate_limit_error (RateLimitError)', async () => {
    const limited = anthropic(LIMITED);
    await caught(ask(limited));
    const err = await caught(ask(limited));
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect((err.error as { error: { type: string } }).error.type).toBe('rate_limit_error');
  });

  it('answers an unknown model with 404 not_found_error and bad JSON with 400 invalid_request_error', async () => {
    const err = await caught(ask(anthropic(KEY), 'gpt-unrouted'));
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect(err.error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'The model "gpt-unrouted" is not served by this gateway.' },
    });
    const bad = await fetch(`${gw.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('answers an unreachable upstream with 502 api_error (InternalServerError)', async () => {
    const err = await caught(ask(anthropic(KEY)));
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect(err.status).toBe(502);
    expect((err.error as { error: { type: string } }).error.type).toBe('api_error');
  });

  it('keeps OpenAI’s shape on every other path', async () => {
    for (const path of ['/v1/chat/completions', '/v1/threads/t1/messages']) {
      const response = await fetch(`${gw.url}${path}`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: {
          message: 'Invalid or missing API key. Send it as "Authorization: Bearer <key>".',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    }
  });
});

describe('anthropicErrorType', () => {
  it('maps statuses to Anthropic’s error types, and others by class', () => {
    const statuses = [400, 401, 402, 403, 404, 405, 408, 409, 413, 418, 429, 500, 502, 503, 504, 529];
    expect(statuses.map(anthropicErrorType)).toEqual([
      'invalid_request_error',
      'authentication_error',
      'billing_error',
      'permission_error',
      'not_found_error',
      'invalid_request_error',
      'timeout_error',
      'conflict_error',
      'request_too_large',
      'invalid_request_error',
      'rate_limit_error',
      'api_error',
      'api_error',
      'overloaded_error',
      'timeout_error',
      'overloaded_error',
    ]);
  });
});
