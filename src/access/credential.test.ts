import { describe, expect, it } from 'vitest';
import { presentedCredential, takeQueryCredential } from './credential';

const headers =
  (given: Record<string, string>) =>
  (name: string): string | undefined =>
    given[name];

describe('presentedCredential', () => {
  it('reads each place clients put the key', () => {
    expect(presentedCredential(headers({ authorization: 'Bearer sk-a' }))).toBe('sk-a');
    expect(presentedCredential(headers({ authorization: 'bearer   sk-a  ' }))).toBe('sk-a');
    expect(presentedCredential(headers({ 'x-api-key': 'sk-b' }))).toBe('sk-b');
    expect(presentedCredential(headers({ 'api-key': 'sk-c' }))).toBe('sk-c');
    expect(presentedCredential(headers({ 'x-goog-api-key': 'sk-d' }))).toBe('sk-d');
    expect(presentedCredential(headers({}), 'sk-e')).toBe('sk-e');
    expect(presentedCredential(headers({}))).toBeUndefined();
  });

  it('takes the first place that holds a value, in a fixed order', () => {
    const all = {
      authorization: 'Bearer sk-1',
      'x-api-key': 'sk-2',
      'api-key': 'sk-3',
      'x-goog-api-key': 'sk-4',
    };
    expect(presentedCredential(headers(all), 'sk-5')).toBe('sk-1');
    expect(presentedCredential(headers({ ...all, authorization: '' }), 'sk-5')).toBe('sk-2');
    expect(presentedCredential(headers({ 'api-key': 'sk-3', 'x-goog-api-key': 'sk-4' }), 'sk-5')).toBe(
      'sk-3',
    );
    expect(presentedCredential(headers({ 'x-goog-api-key': 'sk-4' }), 'sk-5')).toBe('sk-4');
  });

  it('treats empty values and non-Bearer authorization as absent', () => {
    expect(presentedCredential(headers({ authorization: 'Bearer ', 'x-api-key': 'sk-2' }))).toBe('sk-2');
    expect(presentedCredential(headers({ authorization: 'Bearer' }))).toBeUndefined();
    expect(presentedCredential(headers({ authorization: 'Basic c2s6eA==', 'x-api-key': 'sk-2' }))).toBe(
      'sk-2',
    );
    expect(presentedCredential(headers({ 'x-api-key': '  ', 'x-goog-api-key': '' }), 'sk-5')).toBe('sk-5');
    expect(presentedCredential(headers({}), '')).toBeUndefined();
  });
});

describe('takeQueryCredential', () => {
  it('takes every key parameter off and keeps the rest byte for byte', () => {
    expect(takeQueryCredential('/v1beta/models/m:streamGenerateContent?alt=sse&key=sk-q')).toEqual({
      url: '/v1beta/models/m:streamGenerateContent?alt=sse',
      key: 'sk-q',
    });
    expect(takeQueryCredential('/p?key=sk-q')).toEqual({ url: '/p', key: 'sk-q' });
    expect(takeQueryCredential('/p?a=%20b&key=1&c&key=2&keys=3')).toEqual({
      url: '/p?a=%20b&c&keys=3',
      key: '1',
    });
    expect(takeQueryCredential('/p?a=1')).toEqual({ url: '/p?a=1', key: undefined });
    expect(takeQueryCredential('/p')).toEqual({ url: '/p', key: undefined });
  });

  it('decodes the name and the value, so an encoded name is taken off too', () => {
    expect(takeQueryCredential('/p?k%65y=sk%2Dq%2B1&x=1')).toEqual({ url: '/p?x=1', key: 'sk-q+1' });
    expect(takeQueryCredential('/p?KEY=sk-q')).toEqual({ url: '/p?KEY=sk-q', key: undefined });
    expect(takeQueryCredential('/p?key=%E0%A4%A&x=1')).toEqual({ url: '/p?x=1', key: '%E0%A4%A' });
  });

  it('takes empty key parameters off and reports no key, the first non-empty one wins', () => {
    expect(takeQueryCredential('/p?key=&key')).toEqual({ url: '/p', key: undefined });
    expect(takeQueryCredential('/p?key=&key=sk-2&key=sk-3')).toEqual({ url: '/p', key: 'sk-2' });
  });
});
