import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway';
import { type MockHandler, replyChat, sendJson, startMock } from '../helpers/mock-upstream';

const OPENAI_ERROR_SHAPE = {
  error: { message: expect.any(String), type: expect.any(String), param: null, code: expect.any(String) },
};

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as { error: { code: string; message: string } },
  };
}

describe('errors the gateway makes', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function gatewayFor(
    handler: MockHandler,
    input: Record<string, unknown> = {},
    upstream: Record<string, unknown> = {},
  ) {
    const mock = await startMock(handler);
    const gw = await startTestGateway({
      upstreams: [{ name: 'm', url: mock.url, keys: ['sk-err-key-000001'], ...upstream }],
      ...input,
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    return { mock, gw };
  }

  it('401 for a missing or wrong client key, with no upstream call', async () => {
    const { mock, gw } = await gatewayFor(replyChat(), { server: { auth_keys: ['sk-client-good-0001'] } });
    const missing = await post(`${gw.url}/v1/chat/completions`, '{}');
    const wrong = await post(`${gw.url}/v1/chat/completions`, '{}', {
      authorization: 'Bearer sk-client-bad-00001',
    });
    for (const r of [missing, wrong]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual(OPENAI_ERROR_SHAPE);
      expect(r.json.error.code).toBe('invalid_api_key');
    }
    expect(mock.requests).toHaveLength(0);
    const ok = await post(`${gw.url}/v1/chat/completions`, '{"model":"m"}', {
      authorization: 'Bearer sk-client-good-0001',
    });
    expect(ok.status).toBe(200);
    const viaHeader = await post(`${gw.url}/v1/chat/completions`, '{"model":"m"}', {
      'x-api-key': 'sk-client-good-0001',
    });
    expect(viaHeader.status).toBe(200);
  });

  it('413 for a body over the limit and 400 for malformed JSON', async () => {
    const { mock, gw } = await gatewayFor(replyChat(), { server: { max_body_size: 64 } });
    const big = await post(
      `${gw.url}/v1/chat/completions`,
      JSON.stringify({ model: 'm', pad: 'x'.repeat(100) }),
    );
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('request_too_large');
    const bad = await post(`${gw.url}/v1/chat/completions`, '{"model": ');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual(OPENAI_ERROR_SHAPE);
    expect(bad.json.error.code).toBe('invalid_json');
    expect(mock.requests).toHaveLength(0);
  });

  it('502 when the upstream cannot be reached', async () => {
    const port = await closedPort();
    const gw = await startTestGateway({
      upstreams: [{ name: 'gone', url: `http://127.0.0.1:${port}`, keys: ['sk-k-000000000001'] }],
    });
    cleanup.push(() => gw.stop(1000));
    const r = await post(`${gw.url}/v1/chat/completions`, '{"model":"m"}');
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe('upstream_unreachable');
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });

  it('502 when a non-streaming body is cut short', async () => {
    const { gw } = await gatewayFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":"partial"', () => res.socket?.destroy());
    });
    const r = await post(`${gw.url}/v1/chat/completions`, '{"model":"m"}');
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe('upstream_bad_response');
  });

  it('503 with instructions when nothing is configured', async () => {
    const gw = await startTestGateway({});
    cleanup.push(() => gw.stop(1000));
    const r = await post(`${gw.url}/v1/chat/completions`, '{"model":"m"}');
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('no_upstream_configured');
    expect(r.json.error.message).toContain('SWITCHYARD_UPSTREAM_URL');
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', ready: false });
  });

  it('504 when the first byte does not come in time', async () => {
    const { gw } = await gatewayFor(() => {}, {}, { timeouts: { first_byte: 150 } });
    const r = await post(`${gw.url}/v1/chat/completions`, '{"model":"m"}');
    expect(r.status).toBe(504);
    expect(r.json.error.code).toBe('upstream_timeout');
  });

  it('504 when a non-streaming request passes its total deadline', async () => {
    const { gw } = await gatewayFor(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"slow":');
      },
      {},
      { timeouts: { total: 150 } },
    );
    const r = await post(`${gw.url}/v1/chat/completions`, '{"model":"m"}');
    expect(r.status).toBe(504);
    expect(r.json.error.code).toBe('upstream_timeout');
  });

  it('passes an upstream client error through unchanged', async () => {
    const upstreamError = {
      error: { message: 'bad param', type: 'invalid_request_error', param: 'x', code: 'bad' },
    };
    const { gw } = await gatewayFor((_req, res) =>
      sendJson(res, 400, upstreamError, { 'x-upstream': 'yes' }),
    );
    const r = await post(`${gw.url}/v1/chat/completions`, '{"model":"m"}');
    expect(r.status).toBe(400);
    expect(r.json).toEqual(upstreamError);
    expect(r.headers.get('x-upstream')).toBe('yes');
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
