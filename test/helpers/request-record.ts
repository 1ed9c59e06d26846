import type { RequestRecord } from '../../src/observe/request-record';

/** 2026-06-01T00:00:00Z: the time of the fixture record unless a test says otherwise. */
export const T0 = Date.UTC(2026, 5, 1);

/** A finished request as the request log stores it: a plain success, with any field overridden. */
export function requestRecordFixture(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    ts: T0,
    request_id: 'req-1',
    client: 'alice',
    route: 'default',
    upstream: 'openai',
    key_fp: 'abc123def456',
    method: 'POST',
    path: '/v1/chat/completions',
    model: 'gpt-4o',
    sent_model: 'gpt-4o',
    status: 200,
    verdict: 'success',
    duration_ms: 120,
    ttfb_ms: 80,
    prompt_tokens: 10,
    completion_tokens: 5,
    cached_tokens: 0,
    total_tokens: 15,
    tokens_estimated: 0,
    cost: 0.001,
    stream: 0,
    client_ip: '127.0.0.1',
    user_agent: 'test',
    error: null,
    attempts: '[]',
    cache: null,
    saved_tokens: 0,
    saved_cost: null,
    ...overrides,
  };
}
