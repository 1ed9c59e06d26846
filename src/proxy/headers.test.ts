import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';

const base = {
  authHeader: 'authorization',
  authValue: 'Bearer sk-upstream',
  requestId: 'req-1',
  contentLength: 12,
  extra: {},
  defaults: {},
};

describe('header shaping', () => {
  it('drops hop-by-hop, credential and length headers, then injects the key', () => {
    const raw = [
      'Host',
      'gw.local',
      'Authorization',
      'Bearer sk-client',
      'X-Api-Key',
      'sk-client',
      'Connection',
      'keep-alive, X-Trace',
      'X-Trace',
      'drop-me',
      'Keep-Alive',
      'timeout=5',
      'Content-Length',
      '99',
      'Accept-Encoding',
      'gzip',
      'TE',
      'trailers',
      'Content-Type',
      'application/json',
      'OpenAI-Organization',
      'org-1',
      'X-Request-Id',
      'client-id',
    ];
    expect(upstreamRequestHeaders(raw, base)).toEqual([
      'Content-Type',
      'application/json',
      'OpenAI-Organization',
      'org-1',
      'authorization',
      'Bearer sk-upstream',
      'content-length',
      '12',
      'x-request-id',
      'req-1',
    ]);
  });

  it('adds provider defaults only when absent and lets upstream headers override the client', () => {
    const out = upstreamRequestHeaders(['anthropic-version', '2024-01-01', 'X-Team', 'client'], {
      ...base,
      authHeader: 'x-api-key',
      authValue: 'sk-ant',
      contentLength: null,
      extra: { 'x-team': 'gateway' },
      defaults: { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'x' },
    });
    expect(out).toEqual([
      'anthropic-version',
      '2024-01-01',
      'anthropic-beta',
      'x',
      'x-team',
      'gateway',
      'x-api-key',
      'sk-ant',
      'x-request-id',
      'req-1',
    ]);
  });

  it('passes response headers except hop-by-hop ones, adding the gateway own', () => {
    const out = clientResponseHeaders(
      {
        'content-type': 'text/event-stream',
        connection: 'keep-alive',
        'transfer-encoding': 'chunked',
        'set-cookie': ['a=1', 'b=2'],
      },
      { 'x-request-id': 'r' },
      null,
    );
    expect(out).toEqual([
      'content-type',
      'text/event-stream',
      'set-cookie',
      'a=1',
      'set-cookie',
      'b=2',
      'x-request-id',
      'r',
    ]);
  });

  it('lets the gateway own headers and a known length replace the upstream ones', () => {
    const out = clientResponseHeaders(
      { 'x-request-id': 'upstream-id', 'content-length': '99', 'x-other': 'kept' },
      { 'x-request-id': 'gateway-id' },
      12,
    );
    expect(out).toEqual(['x-other', 'kept', 'content-length', '12', 'x-request-id', 'gateway-id']);
    const dropped = clientResponseHeaders({ 'content-length': '99' }, {}, null, true);
    expect(dropped).toEqual([]);
  });

  it('adds the per-response headers last, replacing the upstream and own ones of the same name', () => {
    const out = clientResponseHeaders(
      { 'server-timing': 'upstream;dur=1', 'x-other': 'kept' },
      { 'x-request-id': 'r', 'x-switchyard-attempts': '0' },
      null,
      false,
      ['x-switchyard-attempts', '2', 'server-timing', 'gateway;dur=0.10'],
    );
    expect(out).toEqual([
      'x-other',
      'kept',
      'x-request-id',
      'r',
      'x-switchyard-attempts',
      '2',
      'server-timing',
      'gateway;dur=0.10',
    ]);
  });

  it('decides each spelling of a request header name the same way every time', () => {
    const raw = ['X-API-KEY', 'sk-client', 'X-Custom', 'a', 'x-custom', 'b', 'X-REQUEST-ID', 'c'];
    for (let i = 0; i < 2; i++) {
      const out = upstreamRequestHeaders(raw, { ...base, contentLength: null, authHeader: null });
      expect(out).toEqual(['X-Custom', 'a', 'x-custom', 'b', 'x-request-id', 'req-1']);
    }
  });
});
