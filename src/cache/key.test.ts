import { describe, expect, it } from 'vitest';
import { cacheKey, type KeyParts } from './key';

const base: KeyParts = {
  scope: 'client',
  client: 'alice',
  route: 'chat',
  method: 'POST',
  url: '/v1/chat/completions',
  json: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0 },
  header: () => undefined,
};

describe('cacheKey', () => {
  it('ignores the order of object keys but not of array items', () => {
    const reordered = { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'gpt-4o' };
    expect(cacheKey({ ...base, json: reordered })).toBe(cacheKey(base));
    const two = (a: string, b: string) => ({ ...base, json: { model: 'm', messages: [a, b] } });
    expect(cacheKey(two('x', 'y'))).not.toBe(cacheKey(two('y', 'x')));
  });

  it('tells clients apart with scope client and not with scope global', () => {
    expect(cacheKey({ ...base, client: 'bob' })).not.toBe(cacheKey(base));
    expect(cacheKey({ ...base, scope: 'global', client: 'bob' })).toBe(
      cacheKey({ ...base, scope: 'global' }),
    );
  });

  it('depends on the route, the query, the model and the API version headers', () => {
    const key = cacheKey(base);
    expect(cacheKey({ ...base, route: 'other' })).not.toBe(key);
    expect(cacheKey({ ...base, url: '/v1/chat/completions?x=1' })).not.toBe(key);
    expect(cacheKey({ ...base, json: { ...(base.json as object), model: 'gpt-4o-mini' } })).not.toBe(key);
    const versioned = {
      ...base,
      header: (name: string) => (name === 'anthropic-version' ? '2023-06-01' : undefined),
    };
    expect(cacheKey(versioned)).not.toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});
