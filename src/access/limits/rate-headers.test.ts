import { describe, expect, it } from 'vitest';
import { formatReset, retryAfterHeaders } from './rate-headers';

describe('rate-limit headers', () => {
  it('formats resets as OpenAI does', () => {
    expect(formatReset(0)).toBe('0ms');
    expect(formatReset(249.2)).toBe('250ms');
    expect(formatReset(1000)).toBe('1s');
    expect(formatReset(1500)).toBe('1.5s');
    expect(formatReset(360_000)).toBe('6m0s');
    expect(formatReset(3_723_500)).toBe('1h2m3.5s');
  });

  it('rounds Retry-After up to whole seconds', () => {
    expect(retryAfterHeaders(20_000)).toEqual({ 'retry-after': '20', 'retry-after-ms': '20000' });
    expect(retryAfterHeaders(1)).toEqual({ 'retry-after': '1', 'retry-after-ms': '1' });
    expect(retryAfterHeaders(1_001)).toEqual({ 'retry-after': '2', 'retry-after-ms': '1001' });
  });
});
