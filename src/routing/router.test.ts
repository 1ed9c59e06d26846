import { describe, expect, it } from 'vitest';
import { type ConfigInput, configSchema } from '../config/schema/index';
import { buildSnapshot } from './config-snapshot';
import type { RouteInput } from './router';

function routerFor(routes: ConfigInput['routes'], upstreams = ['u1', 'u2']) {
  const config = configSchema.parse({
    upstreams: upstreams.map((name) => ({ name, url: `http://${name}.invalid` })),
    routes,
  });
  return buildSnapshot(config).router;
}

function input(
  fields: Partial<Omit<RouteInput, 'model' | 'header'>> & {
    model?: string;
    headers?: Record<string, string>;
  },
): RouteInput {
  return {
    method: fields.method ?? 'POST',
    path: fields.path ?? '/v1/chat/completions',
    host: fields.host ?? 'gateway.local',
    header: (name) => fields.headers?.[name],
    model: () => fields.model,
  };
}

const matched = (router: ReturnType<typeof routerFor>, fields: Parameters<typeof input>[0]) =>
  router.match(input(fields))?.name;

describe('Router', () => {
  it('matches models exactly, by glob and by regex; first match wins', () => {
    const router = routerFor([
      { name: 'exact', match: { model: 'gpt-4' }, upstreams: ['u1'] },
      { name: 'glob', match: { model: ['gpt-4-*', 'gpt-4o*'] }, upstreams: ['u1'] },
      { name: 'regex', match: { model: { regex: '^o[13](-mini)?$' } }, upstreams: ['u2'] },
      { name: 'slash', match: { model: 'meta-llama/*' }, upstreams: ['u2'] },
      { name: 'all-gpt', match: { model: 'gpt-*' }, upstreams: ['u2'] },
    ]);
    expect(matched(router, { model: 'gpt-4' })).toBe('exact');
    expect(matched(router, { model: 'gpt-4-turbo' })).toBe('glob');
    expect(matched(router, { model: 'gpt-4o-mini' })).toBe('glob');
    expect(matched(router, { model: 'o1' })).toBe('regex');
    expect(matched(router, { model: 'o3-mini' })).toBe('regex');
    expect(matched(router, { model: 'o2' })).toBeUndefined();
    expect(matched(router, { model: 'meta-llama/Llama-3-70b' })).toBe('slash');
    expect(matched(router, { model: 'gpt-3.5-turbo' })).toBe('all-gpt');
    expect(matched(router, { model: 'claude-3' })).toBeUndefined();
    expect(matched(router, {})).toBeUndefined();
  });

  it('a route without match matches everything, in its place in the order', () => {
    const router = routerFor([
      { name: 'cheap', match: { model: 'gpt-3.5*' }, upstreams: ['u1'] },
      { name: 'fallback', upstreams: ['u2'] },
      { name: 'never', match: { model: 'x' }, upstreams: ['u2'] },
    ]);
    expect(matched(router, { model: 'gpt-3.5-turbo' })).toBe('cheap');
    expect(matched(router, { model: 'x' })).toBe('fallback');
    expect(matched(router, { path: '/dns-query', method: 'GET' })).toBe('fallback');
  });

  it('matches path (exact and glob), host (without port, any case), method and headers together', () => {
    const router = routerFor([
      { name: 'dns', match: { path: '/dns-query', method: ['GET', 'post'] }, upstreams: ['u1'] },
      { name: 'api3', match: { host: 'api3.example.com' }, upstreams: ['u1'] },
      { name: 'wild', match: { host: '*.internal.example.com', path: '/v1/*' }, upstreams: ['u2'] },
      { name: 'ab', match: { headers: { 'X-Test-Group': 'experiment' }, path: '/v1/**' }, upstreams: ['u2'] },
      { name: 'deep', match: { path: '/v1/**' }, upstreams: ['u1'] },
    ]);
    expect(matched(router, { path: '/dns-query', method: 'GET' })).toBe('dns');
    expect(matched(router, { path: '/dns-query', method: 'POST' })).toBe('dns');
    expect(matched(router, { path: '/dns-query', method: 'PUT' })).toBeUndefined();
    expect(matched(router, { host: 'API3.example.com:8443', path: '/anything' })).toBe('api3');
    expect(matched(router, { host: 'a.internal.example.com', path: '/v1/models' })).toBe('wild');
    expect(matched(router, { host: 'a.internal.example.com', path: '/v1/chat/completions' })).toBe('deep');
    expect(matched(router, { headers: { 'x-test-group': 'experiment' } })).toBe('ab');
    expect(matched(router, { headers: { 'x-test-group': 'control' } })).toBe('deep');
    expect(matched(router, { path: '/v2/x' })).toBeUndefined();
  });

  it('keeps answering correctly past the value cache and for the same value again', () => {
    const router = routerFor([
      { name: 'odd', match: { model: { regex: '[13579]$' } }, upstreams: ['u1'] },
      { name: 'rest', match: { model: '*' }, upstreams: ['u2'] },
    ]);
    for (let i = 0; i < 5_000; i++) {
      expect(matched(router, { model: `m-${i}` })).toBe(i % 2 === 1 ? 'odd' : 'rest');
    }
    expect(matched(router, { model: 'm-7' })).toBe('odd');
  });

  it('finds the right route among 1,000 (first match wins across bitset words)', () => {
    const routes = Array.from({ length: 1_000 }, (_, i) => ({
      name: `r${i}`,
      match: i % 3 === 0 ? { model: `model-${i}` } : { model: `family-${i}-*`, path: '/v1/chat/completions' },
      upstreams: ['u1'],
    }));
    routes.push({ name: 'shadowed', match: { model: 'model-999' }, upstreams: ['u2'] });
    const router = routerFor(routes);
    expect(matched(router, { model: 'model-999' })).toBe('r999');
    expect(matched(router, { model: 'family-998-x' })).toBe('r998');
    expect(matched(router, { model: 'family-998-x', path: '/v1/embeddings' })).toBeUndefined();
    expect(matched(router, { model: 'model-33' })).toBe('r33');
    expect(matched(router, { model: 'model-34' })).toBeUndefined();
  });
});
