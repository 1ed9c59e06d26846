import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../providers/catalog';
import { classifyError, classifyResponse } from './classify';

const openai = PROVIDERS.openai;
const err = (code: string) =>
  JSON.stringify({ error: { message: 'x', type: 'invalid_request_error', code } });

describe('the classifier', () => {
  it.each([
    [200, undefined, 'success'],
    [204, undefined, 'success'],
    [304, undefined, 'success'],
    [301, undefined, 'upstream_fault'],
    [307, '', 'upstream_fault'],
    [400, err('context_length_exceeded'), 'client_error'],
    [400, err('invalid_api_key'), 'client_error'],
    [404, undefined, 'client_error'],
    [404, err('model_not_found'), 'client_error'],
    [413, undefined, 'client_error'],
    [422, undefined, 'client_error'],
    [401, '{}', 'invalid_key'],
    [401, err('invalid_api_key'), 'invalid_key'],
    [403, '{}', 'client_error'],
    [403, '{"error":{"message":"insufficient permissions"}}', 'client_error'],
    [403, err('account_deactivated'), 'invalid_key'],
    [429, '{"error":{"type":"requests"}}', 'rate_limited'],
    [429, err('insufficient_quota'), 'quota_exhausted'],
    [429, '{"error":{"type":"insufficient_quota","code":null}}', 'quota_exhausted'],
    [402, '{}', 'quota_exhausted'],
    [500, '{}', 'upstream_fault'],
    [503, undefined, 'upstream_fault'],
    [529, '{}', 'upstream_fault'],
    [408, '{}', 'upstream_fault'],
  ] as const)('status %i with body %s is %s', (status, body, verdict) => {
    expect(classifyResponse(status, body, openai).verdict).toBe(verdict);
  });

  it('reports the marker that decided the verdict', () => {
    expect(classifyResponse(401, err('invalid_api_key'), openai)).toEqual({
      verdict: 'invalid_key',
      marker: 'invalid_api_key',
    });
    expect(classifyResponse(401, '{}', openai).marker).toBeUndefined();
  });

  it('never reads a marker from text that echoes the request', () => {
    const echo = (word: string) =>
      JSON.stringify({
        error: { message: `The model \`${word}\` does not exist`, type: 'invalid_request_error', code: null },
      });
    for (const word of [
      'invalid_api_key',
      'insufficient_quota',
      'account_deactivated',
      'billing_not_active',
    ]) {
      expect(classifyResponse(404, echo(word), openai)).toEqual({ verdict: 'client_error' });
      expect(classifyResponse(400, echo(word), openai)).toEqual({ verdict: 'client_error' });
      expect(classifyResponse(403, echo(word), openai)).toEqual({ verdict: 'client_error' });
      expect(classifyResponse(429, echo(word), openai)).toEqual({ verdict: 'rate_limited' });
      expect(classifyResponse(401, `plain text ${word}`, openai)).toEqual({ verdict: 'invalid_key' });
    }
    expect(classifyResponse(400, 'API key not valid. API_KEY_INVALID', PROVIDERS.gemini).verdict).toBe(
      'client_error',
    );
    expect(
      classifyResponse(
        404,
        '{"type":"error","error":{"type":"not_found_error","message":"model: authentication_error"}}',
        PROVIDERS.anthropic,
      ).verdict,
    ).toBe('client_error');
  });

  it('applies a marker only at the statuses where it means something', () => {
    expect(classifyResponse(400, err('insufficient_quota'), openai).verdict).toBe('client_error');
    expect(classifyResponse(404, err('invalid_api_key'), openai).verdict).toBe('client_error');
    expect(classifyResponse(500, err('invalid_api_key'), openai).verdict).toBe('upstream_fault');
  });

  it('applies provider markers: Anthropic, Gemini (object and array form)', () => {
    const anthropic = (type: string) => JSON.stringify({ type: 'error', error: { type, message: 'm' } });
    expect(classifyResponse(529, anthropic('overloaded_error'), PROVIDERS.anthropic).verdict).toBe(
      'upstream_fault',
    );
    expect(classifyResponse(401, anthropic('authentication_error'), PROVIDERS.anthropic)).toEqual({
      verdict: 'invalid_key',
      marker: 'authentication_error',
    });
    expect(classifyResponse(403, anthropic('permission_error'), PROVIDERS.anthropic).verdict).toBe(
      'invalid_key',
    );
    expect(classifyResponse(403, anthropic('forbidden'), PROVIDERS.anthropic).verdict).toBe('client_error');
    expect(
      classifyResponse(
        400,
        '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the API."}}',
        PROVIDERS.anthropic,
      ).verdict,
    ).toBe('quota_exhausted');
    expect(
      classifyResponse(429, '{"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}', PROVIDERS.gemini).verdict,
    ).toBe('rate_limited');
    const gemini = {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
      },
    };
    expect(classifyResponse(400, JSON.stringify(gemini), PROVIDERS.gemini)).toEqual({
      verdict: 'invalid_key',
      marker: 'API_KEY_INVALID',
    });
    expect(classifyResponse(400, JSON.stringify([gemini]), PROVIDERS.gemini).verdict).toBe('invalid_key');
    const denied = '{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED"}}';
    expect(classifyResponse(403, denied, PROVIDERS.gemini).verdict).toBe('client_error');
  });

  it('treats transport failures as upstream faults, refusals to build as not sent, a cancel as the client', () => {
    expect(classifyError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).verdict).toBe(
      'upstream_fault',
    );
    expect(classifyError(Object.assign(new Error('x'), { code: 'UND_ERR_INVALID_ARG' })).verdict).toBe(
      'not_sent',
    );
    expect(classifyError(Object.assign(new Error('x'), { code: 'UND_ERR_NOT_SUPPORTED' })).verdict).toBe(
      'not_sent',
    );
    const cancelled = new Error('gone');
    cancelled.name = 'ClientCancelledError';
    expect(classifyError(cancelled).verdict).toBe('client_cancelled');
  });
});
