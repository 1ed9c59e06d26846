import { describe, expect, it } from 'vitest';
import { type ConfigInput, configSchema } from '../config/schema/index';
import { buildSnapshot } from './config-snapshot';
import { modelListBody } from './model-list';

function catalogOf(input: Partial<ConfigInput>) {
  const config = configSchema.parse({
    upstreams: [
      { name: 'local', url: 'http://local.invalid', models: ['llama-3-8b', 'mistral-7b'] },
      { name: 'paid', url: 'http://paid.invalid', models: ['gpt-4o'] },
    ],
    ...input,
  });
  return buildSnapshot(config).router.models;
}

describe('the model catalog', () => {
  it('lists route models, exact match names and, for routes without a model condition, upstream models', () => {
    const catalog = catalogOf({
      routes: [
        { name: 'blocked', match: { model: 'gpt-4-32k' }, reject: true },
        { name: 'aliases', match: { model: ['gpt-3.5*', 'cheap'] }, upstreams: ['local'] },
        {
          name: 'explicit',
          match: { model: { regex: '^o[13]' } },
          upstreams: ['paid'],
          models: ['o1', 'o3'],
        },
        { name: 'rest', upstreams: ['local', 'paid'] },
      ],
    });
    expect(catalog.ids).toEqual(['cheap', 'o1', 'o3', 'llama-3-8b', 'mistral-7b', 'gpt-4o']);
  });

  it('is empty without routes that name models (GET /v1/models then goes upstream)', () => {
    const config = configSchema.parse({ upstreams: [{ name: 'a', url: 'http://a.invalid' }] });
    expect(buildSnapshot(config).router.models.ids).toEqual([]);
  });

  it('filters by a predicate (a client’s allowlist)', () => {
    const catalog = catalogOf({ routes: [{ name: 'rest', upstreams: ['local', 'paid'] }] });
    const body = modelListBody(catalog, (id) => id.startsWith('gpt'));
    expect(body).toEqual({
      object: 'list',
      data: [{ id: 'gpt-4o', object: 'model', created: catalog.created, owned_by: 'switchyard' }],
    });
  });
});
