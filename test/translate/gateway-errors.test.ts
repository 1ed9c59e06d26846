import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicErrorType, geminiErrorStatus } from '../../src/core/error-shapes';
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

  it('answers Gemini clients in Gemini’s shape, which the SDK raises as an ApiError of the status', async () => {
    const gemini = new GoogleGenAI({
      apiKey: 'sk-sy-nobody-000000000000000',
      httpOptions: { baseUrl: gw.url },
    });
    let thrown: unknown;
    try {
      await gemini.models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).status).toBe(401);
    const denied = await fetch(`${gw.url}/v1beta/models/gemini-2.5-pro%3AstreamGenerateContent?alt=sse`, {
      method: 'POST',
      body: '{}',
    });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({
      error: {
        code: 401,
        message: 'Invalid or missing API key. Send it as "Authorization: Bearer <key>".',
        status: 'UNAUTHENTICATED',
      },
    });
    const unrouted = await fetch(`${gw.url}/v1beta/models/gpt-unrouted:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY },
      body: '{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}',
    });
    expect(unrouted.status).toBe(404);
    expect(await unrouted.json()).toEqual({
      error: {
        code: 404,
        message: 'The model "gpt-unrouted" is not served by this gateway.',
        status: 'NOT_FOUND',
      },
    });
  });

  it('keeps OpenAI’s shape on every other path', async () => {
    for (const path of ['/v1/chat/completions', '/v1/threads/t1/messages', '/v1/models/gpt-4o']) {
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

describe('geminiErrorStatus', () => {
  it('maps statuses to google.rpc code names, and others by class', () => {
    const statuses = [400, 401, 403, 404, 408, 409, 413, 429, 499, 500, 501, 502, 503, 504, 529];
    expect(statuses.map(geminiErrorStatus)).toEqual([
      'INVALID_ARGUMENT',
      'UNAUTHENTICATED',
      'PERMISSION_DENIED',
      'NOT_FOUND',
      'DEADLINE_EXCEEDED',
      'ABORTED',
      'INVALID_ARGUMENT',
      'RESOURCE_EXHAUSTED',
      'CANCELLED',
      'INTERNAL',
      'UNIMPLEMENTED',
      'INTERNAL',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
      'UNAVAILABLE',
    ]);
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
