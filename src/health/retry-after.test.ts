import { describe, expect, it } from 'vitest';
import { parseResetDuration, retryAfterMs } from './retry-after';

describe('retry-after hints', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads retry-after-ms, retry-after seconds and dates', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500);
    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({}, now)).toBeUndefined();
  });

  it('reads OpenAI reset headers for the exhausted limit', () => {
    const both = { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' };
    expect(retryAfterMs({ ...both, 'x-ratelimit-remaining-requests': '0' }, now)).toBe(1000);
    expect(retryAfterMs({ ...both, 'x-ratelimit-remaining-tokens': '0' }, now)).toBe(360_000);
    expect(retryAfterMs(both, now)).toBe(360_000);
  });

  it('parses the duration format', () => {
    expect(parseResetDuration('20ms')).toBe(20);
    expect(parseResetDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseResetDuration('7')).toBe(7000);
    expect(parseResetDuration('soon')).toBeUndefined();
  });
});
