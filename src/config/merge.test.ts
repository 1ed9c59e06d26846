import { describe, expect, it } from 'vitest';
import { type ApiObjects, annotateProblems, mergeInputs } from './merge';
import { configSchema } from './schema/index';

const none: ApiObjects = { upstreams: [], routes: [], settings: new Map() };

describe('mergeInputs', () => {
  it('leaves the file alone when the API has nothing', () => {
    const base = { upstreams: [{ name: 'a', url: 'http://a' }] };
    expect(mergeInputs(base, none).input).toEqual(base);
  });

  it('appends API upstreams and routes after the file’s, with their keys', () => {
    const merged = mergeInputs(
      { upstreams: [{ name: 'a', url: 'http://a' }], routes: [{ name: 'file', upstreams: ['a'] }] },
      {
        upstreams: [{ name: 'b', definition: { url: 'http://b', weight: 2 }, keys: ['k1'] }],
        routes: [{ name: 'api', definition: { upstreams: ['b'] } }],
        settings: new Map(),
      },
    );
    expect(merged.input.upstreams).toEqual([
      { name: 'a', url: 'http://a' },
      { name: 'b', url: 'http://b', weight: 2, keys: ['k1'] },
    ]);
    expect(merged.input.routes).toEqual([
      { name: 'file', upstreams: ['a'] },
      { name: 'api', upstreams: ['b'] },
    ]);
  });

  it('keeps the implicit default route last when the file has no routes', () => {
    const merged = mergeInputs(
      { upstreams: [{ name: 'a', url: 'http://a' }] },
      { ...none, routes: [{ name: 'api', definition: { upstreams: ['a'] } }] },
    );
    expect(merged.input.routes).toEqual([
      { name: 'api', upstreams: ['a'] },
      { name: 'default', upstreams: ['a'] },
    ]);
  });

  it('lets the file win a name clash and reports the shadowed API object', () => {
    const merged = mergeInputs(
      { server: { trust_proxy: true }, upstreams: [{ name: 'a', url: 'http://file' }] },
      {
        upstreams: [{ name: 'a', definition: { url: 'http://api' }, keys: [] }],
        routes: [],
        settings: new Map<string, unknown>([
          ['server.trust_proxy', false],
          ['server.max_body_size', '1kb'],
        ]),
      },
    );
    expect(merged.input.upstreams).toEqual([{ name: 'a', url: 'http://file' }]);
    expect(merged.input.server).toEqual({ trust_proxy: true, max_body_size: '1kb' });
    expect(merged.shadowed).toEqual({ upstreams: ['a'], routes: [], settings: ['server.trust_proxy'] });
  });

  it('names the API object a merged problem is about', () => {
    const merged = mergeInputs(
      { upstreams: [{ name: 'a', url: 'http://a' }] },
      { ...none, upstreams: [{ name: 'b', definition: { url: 'nope' }, keys: [] }] },
    );
    expect(annotateProblems(['upstreams[1].url: bad', 'upstreams[0].url: bad'], merged)).toEqual([
      'upstreams[1] (admin API upstream "b").url: bad',
      'upstreams[0].url: bad',
    ]);
  });
});

describe('the config schema', () => {
  it('accepts its own output again unchanged (a running config is a valid base input)', () => {
    const once = configSchema.parse({
      server: { cors: false, max_body_size: '1mb' },
      admin: { key: 'k', port: 0 },
      upstreams: [{ name: 'a', url: 'http://a', keys: ['k1'], timeouts: { connect: '5s' } }],
      routes: [{ name: 'r', upstreams: ['a'] }],
    });
    expect(configSchema.parse(structuredClone(once))).toEqual(once);
    const withCors = configSchema.parse({});
    expect(configSchema.parse(structuredClone(withCors))).toEqual(withCors);
  });
});
