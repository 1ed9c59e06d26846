import { describe, expect, it } from 'vitest';
import { normaliseTarget } from './request-target';

describe('normaliseTarget', () => {
  it.each([
    ['/', '/'],
    ['/v1/models', '/v1/models'],
    ['/v1/models/', '/v1/models/'],
    ['/v1/a/..', '/v1/'],
    ['/v1/a/.', '/v1/a/'],
    ['/v1/./', '/v1/'],
    ['/v1/..', '/'],
    ['///v1///a//', '/v1/a/'],
    ['/v1/%2E/a/%2e%2E/b', '/v1/b'],
    ['/v1/a%20b/%41', '/v1/a%20b/%41'],
    ['/v1/a?x=/../y&z=%2f', '/v1/a?x=/../y&z=%2f'],
    ['/v1/..?q', '/?q'],
    [
      '/v1beta/models/gemini-2.5-pro%3AstreamGenerateContent?alt=sse',
      '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    ],
    ['/v1beta/models/m%3agenerateContent?q=%3A', '/v1beta/models/m:generateContent?q=%3A'],
  ])('%s → %s', (raw, url) => {
    expect(normaliseTarget('GET', raw)).toEqual({ url, host: undefined });
  });

  it.each([
    ['http://h.example', '/', 'h.example'],
    ['HTTPS://user:pw@h.example:8443/v1//m?x', '/v1/m?x', 'h.example:8443'],
    ['http://h.example?x=1', '/?x=1', 'h.example'],
  ])('absolute %s → %s on host %s', (raw, url, host) => {
    expect(normaliseTarget('GET', raw)).toEqual({ url, host });
  });

  it.each([
    '/..',
    '/a/../..',
    '/a/%2e%2e/%2E%2E',
    '/a%2fb',
    '/a%5Cb',
    '/a\\b',
    '/a#b',
    'a/b',
    '*',
    'ftp://h/x',
    'http:///x',
  ])('refuses %s', (raw) => {
    expect(() => normaliseTarget('GET', raw)).toThrow(
      expect.objectContaining({ code: 'invalid_target', status: 400 }),
    );
  });

  it('allows * only with OPTIONS', () => {
    expect(normaliseTarget('OPTIONS', '*')).toEqual({ url: '*', host: undefined });
  });
});
