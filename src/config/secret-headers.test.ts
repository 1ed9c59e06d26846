import { describe, expect, it } from 'vitest';
import { configSchema } from './schema/index';
import { credentialHeaderValues, isCredentialHeader, mapHeaderMaps } from './secret-headers';

describe('credential headers', () => {
  it('are told by name, or by a provider-key-shaped value', () => {
    for (const name of [
      'Authorization',
      'x-api-key',
      'api-key',
      'Ocp-Apim-Subscription-Key',
      'x-auth-token',
      'cookie',
    ]) {
      expect(isCredentialHeader(name, 'v'), name).toBe(true);
    }
    expect(isCredentialHeader('x-custom', 'sk-live-abcdefghijkl')).toBe(true);
    expect(isCredentialHeader('x-custom', 'Bearer sk-live-abcdefghijkl')).toBe(true);
    for (const name of ['x-org', 'anthropic-version', 'content-type', 'x-keyboard']) {
      expect(isCredentialHeader(name, 'plain-value'), name).toBe(false);
    }
  });

  it('are collected from every header map for the redactor, with the part after a scheme', () => {
    const config = configSchema.parse({
      upstreams: [
        {
          name: 'u',
          url: 'http://u.example',
          headers: { 'x-api-key': 'up-secret-1', 'x-org': 'acme' },
          health_check: { headers: { authorization: 'Bearer hc-secret-2' } },
          keepalive: { interval: '1m', headers: { 'x-ping': 'sk-ka-secret-333333' } },
        },
      ],
      routes: [{ name: 'r', upstreams: ['u'], headers: { set: { 'x-token': 'route-secret-4' } } }],
    });
    expect(credentialHeaderValues(config).sort()).toEqual(
      ['up-secret-1', 'Bearer hc-secret-2', 'hc-secret-2', 'sk-ka-secret-333333', 'route-secret-4'].sort(),
    );
  });

  it('maps are replaced in a copy, the original untouched', () => {
    const route = { name: 'r', headers: { set: { a: '1' }, remove: ['b'] }, other: { x: 1 } };
    const changed = mapHeaderMaps('route', route, () => ({ a: '2' }));
    expect(changed).toEqual({ name: 'r', headers: { set: { a: '2' }, remove: ['b'] }, other: { x: 1 } });
    expect(route.headers.set.a).toBe('1');
    expect(changed.other).toBe(route.other);
  });
});
