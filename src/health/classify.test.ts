import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../providers/catalog';
import { classifyError, classifyResponse } from './classify';

const openai = PROVIDERS.openai;

describe('the classifier', () => {
  it.each([
    [200, undefined, 'success'],
    [204, undefined, 'success'],
    [400, '{"error":{"code":"context_length_exceeded"}}', 'client_error'],
    [400, '{"error":{"code":"invalid_api_key"}}', 'invalid_key'],
    [404, undefined, 'client_error'],
    [413, undefined, 'client_error'],
    [422, undefined, 'client_error'],
    [401, '{}', 'invalid_key'],
    [403, '{}', 'invalid_key'],
    [429, '{"error":{"type":"requests"}}', 'rate_limited'],
    [429, '{"error":{"code":"insufficient_quota"}}', 'quota_exhausted'],
    [402, '{}', 'quota_exhausted'],
    [500, '{}', 'upstream_fault'],
    [503, undefined, 'upstream_fault'],
    [529, '{}', 'upstream_fault'],
    [408, '{}', 'upstream_fault'],
  ] as const)('status %i with body %s is %s', (status, body, verdict) => {
    expect(classifyResponse(status, body, openai).verdict).toBe(verdict);
  });

  it('reports the marker that decided the verdict', () => {
    expect(classifyResponse(401, '{"error":{"code":"invalid_api_key"}}', openai)).toEqual({
      verdict: 'invalid_key',
      marker: 'invalid_api_key',
    });
    expect(classifyResponse(403, '{"error":{"code":"account_deactivated"}}', openai).marker).toBe(
      'account_deactivated',
    );
    expect(classifyResponse(429, 'billing_not_active', openai).verdict).toBe('quota_exhausted');
    expect(classifyResponse(401, '{}', openai).marker).toBeUndefined();
  });

  it('applies provider markers: Anthropic overload, Gemini exhaustion and bad keys', () => {
    expect(
      classifyResponse(529, '{"type":"error","error":{"type":"overloaded_error"}}', PROVIDERS.anthropic)
        .verdict,
    ).toBe('upstream_fault');
    expect(classifyResponse(429, '{"error":{"status":"RESOURCE_EXHAUSTED"}}', PROVIDERS.gemini).verdict).toBe(
      'rate_limited',
    );
    expect(classifyResponse(400, 'API key not valid. API_KEY_INVALID', PROVIDERS.gemini).verdict).toBe(
      'invalid_key',
    );
    expect(classifyResponse(403, 'API_KEY_INVALID', PROVIDERS.gemini)).toEqual({
      verdict: 'invalid_key',
      marker: 'API_KEY_INVALID',
    });
  });

  it('treats transport failures as upstream faults and a cancel as the client', () => {
    expect(classifyError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).verdict).toBe(
      'upstream_fault',
    );
    const cancelled = new Error('gone');
    cancelled.name = 'ClientCancelledError';
    expect(classifyError(cancelled).verdict).toBe('client_cancelled');
  });
});
