import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConfigInput } from '../../src/config/schema/index';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { chatCompletion, type MockHandler, sendJson, startMock } from '../helpers/mock-upstream';

/** Upstream answers that are not the client's business: refused keys, redirects, failures. */

const KEYS = ['sk-refused-key-0000000001', 'sk-refused-key-0000000002'];

describe('what reaches the client of an upstream failure', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function setup(handler: MockHandler, extra: Partial<ConfigInput> = {}, keys = KEYS) {
    const mock = await startMock(handler);
    const gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      retry: { backoff: 0 },
      upstreams: [{ name: 'secret-upstream-name', url: mock.url, keys }],
      ...extra,
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    return { mock, gw };
  }

  const chat = (gw: TestGateway, model = 'gpt-x') =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [] }),
    });

  async function recordOf(gw: TestGateway, response: Response): Promise<{ error: string | null }> {
    await vi.waitFor(() => expect(gw.gateway.inFlight).toBe(0));
    const row = await admin<{ error: string | null }>(
      gw.url,
      'GET',
      `/admin/requests/${response.headers.get('x-request-id')}`,
    );
    expect(row.status).toBe(200);
    return row.body;
  }

  it('answers 502 upstream_keys_rejected, never the upstream 401, when every key is refused', async () => {
    const { mock, gw } = await setup((req, res) =>
      sendJson(res, 401, {
        error: {
          message: `Incorrect API key provided: ${req.headers.authorization}`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      }),
    );
    const first = await chat(gw);
    expect(first.status).toBe(502);
    const text = await first.clone().text();
    expect(await errorOf(first)).toEqual({
      message:
        "The upstream refused the gateway's own credentials (a gateway configuration problem, not your API key).",
      type: 'upstream_error',
      param: null,
      code: 'upstream_keys_rejected',
    });
    expect(text).not.toContain('Incorrect API key');
    expect(mock.requests).toHaveLength(2);
    expect((await recordOf(gw, first)).error).toContain('HTTP 401');
    // Both keys are now disabled: the same answer, without asking the upstream.
    const second = await chat(gw);
    expect(second.status).toBe(502);
    expect((await errorOf(second)).code).toBe('upstream_keys_rejected');
    expect(mock.requests).toHaveLength(2);
  });

  it('turns an upstream redirect into 502 upstream_redirect and counts it against the upstream', async () => {
    const { gw } = await setup((_req, res) => {
      res.writeHead(302, { location: 'http://elsewhere.test/v1/chat/completions', 'content-length': '0' });
      res.end();
    });
    const response = await chat(gw);
    expect(response.status).toBe(502);
    expect(response.headers.get('location')).toBeNull();
    expect(await errorOf(response)).toMatchObject({ type: 'upstream_error', code: 'upstream_redirect' });
    expect((await recordOf(gw, response)).error).toContain('elsewhere.test');
    const health = await admin<{ upstreams: { faults: number }[] }>(gw.url, 'GET', '/admin/health');
    expect(health.body.upstreams[0]!.faults).toBe(1);
  });

  it('passes a 304 on unchanged', async () => {
    const { gw } = await setup((_req, res) => {
      res.writeHead(304, { etag: '"v1"' });
      res.end();
    });
    const response = await fetch(`${gw.url}/v1/models/gpt-x`, { headers: { 'if-none-match': '"v1"' } });
    expect(response.status).toBe(304);
  });

  it('names no upstream and no undici text when the upstream cannot be reached', async () => {
    const { gw } = await setup(() => {}, { retry: { max_attempts: 1 } });
    await cleanup[0]!(); // the mock is gone: connection refused
    const response = await chat(gw);
    expect(response.status).toBe(502);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({
      error: {
        message: 'The upstream could not be reached.',
        type: 'upstream_error',
        param: null,
        code: 'upstream_unreachable',
      },
    });
    expect((await recordOf(gw, response)).error).toContain('ECONNREFUSED');
  });

  it('does not echo the body of invalid JSON; the record has the parser detail', async () => {
    const { gw } = await setup(() => {});
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": hunter2-private-text',
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).not.toContain('hunter2');
    expect(JSON.parse(body)).toMatchObject({
      error: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
    });
    expect((await recordOf(gw, response)).error).toContain('invalid_json');
  });

  it('masks registered secrets in upstream headers, held success bodies and large error bodies', async () => {
    const key = KEYS[0]!;
    const { gw } = await setup(
      (req, res) => {
        const echo = String(req.headers.authorization).slice('Bearer '.length);
        if (req.url.includes('embeddings')) {
          const text = JSON.stringify({
            error: { message: `${'x'.repeat(300 * 1024)} key ${echo}`, code: null },
          });
          res.writeHead(400, { 'content-type': 'application/json', 'x-echo': echo });
          res.end(text);
          return;
        }
        sendJson(res, 200, chatCompletion('gpt-x', `you sent ${echo}; sk-model-written-example-123`), {
          'x-echo': `key=${echo}`,
        });
      },
      {},
      [key],
    );
    const ok = await chat(gw);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-echo')).toBe('key=sk-...0001');
    const content = ((await ok.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
      .content;
    // The key is masked; key-shaped text the model wrote is content and stays.
    expect(content).toBe('you sent sk-...0001; sk-model-written-example-123');
    const failed = await fetch(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-x', input: 'x' }),
    });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('x-echo')).toBe('sk-...0001');
    const text = await failed.text();
    expect(text.length).toBeGreaterThan(300 * 1024);
    expect(text).not.toContain(key);
    expect(text.endsWith('key sk-...0001","code":null}}')).toBe(true);
  });

  it('does not pass on an error body too large to scan', async () => {
    const { gw } = await setup((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(`{"error":{"message":"${'y'.repeat(9 * 1024 * 1024)}"}}`);
    });
    const response = await chat(gw);
    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe('upstream_bad_response');
  });
});
