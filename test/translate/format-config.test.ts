import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema/index';
import { createUpstream } from '../../src/routing/upstream';

function parse(upstream: Record<string, unknown>) {
  return configSchema.safeParse({ upstreams: [{ name: 'u', url: 'http://u.invalid', ...upstream }] });
}

function issues(upstream: Record<string, unknown>): string[] {
  const result = parse(upstream);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('upstreams[].format', () => {
  it('defaults to openai, and to anthropic for provider anthropic', () => {
    const config = configSchema.parse({
      upstreams: [
        { name: 'a', url: 'http://a.invalid' },
        { name: 'b', url: 'http://b.invalid', provider: 'anthropic' },
        { name: 'c', url: 'http://c.invalid', format: 'openai-chat' },
      ],
    });
    const formats = config.upstreams.map((u) => createUpstream(u, config.health, Math.random).format);
    expect(formats).toEqual(['openai', 'anthropic', 'openai-chat']);
  });

  it('rejects a format that contradicts the provider, naming the field', () => {
    expect(issues({ provider: 'anthropic', format: 'openai' })).toEqual([
      'upstreams.0.format: format "openai" contradicts provider "anthropic" (Anthropic\'s API speaks format "anthropic"); remove one of them',
    ]);
    expect(issues({ provider: 'azure', format: 'anthropic' })).toEqual([
      'upstreams.0.format: format "anthropic" does not fit provider "azure" (Azure OpenAI speaks format "openai")',
    ]);
    expect(issues({ format: 'klingon' })[0]).toMatch(/^upstreams\.0\.format: /);
  });

  it('accepts the combinations that make sense', () => {
    expect(issues({ provider: 'anthropic', format: 'anthropic' })).toEqual([]);
    expect(issues({ provider: 'none', format: 'anthropic' })).toEqual([]);
    expect(issues({ provider: 'openai', format: 'anthropic' })).toEqual([]);
    expect(issues({ provider: 'gemini', format: 'gemini' })).toEqual([]);
  });
});
