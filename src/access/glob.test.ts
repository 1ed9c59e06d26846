import { describe, expect, it } from 'vitest';
import { compileGlobs, GlobMap } from './glob';

describe('model globs', () => {
  it('matches * and ? and nothing else specially', () => {
    const allow = compileGlobs(['gpt-4o*', 'gpt-3.5-turbo', 'o?-mini']);
    expect(allow.test('gpt-4o')).toBe(true);
    expect(allow.test('gpt-4o-mini')).toBe(true);
    expect(allow.test('gpt-3.5-turbo')).toBe(true);
    expect(allow.test('gpt-3x5-turbo')).toBe(false);
    expect(allow.test('o3-mini')).toBe(true);
    expect(allow.test('xgpt-4o')).toBe(false);
    expect(allow.test('gpt-4')).toBe(false);
  });

  it('prefers an exact name over a glob', () => {
    const prices = new GlobMap([
      ['gpt-4o*', 1],
      ['gpt-4o-mini', 2],
    ] as const);
    expect(prices.get('gpt-4o-mini')).toBe(2);
    expect(prices.get('gpt-4o-2024')).toBe(1);
    expect(prices.get('claude')).toBeUndefined();
  });
});
