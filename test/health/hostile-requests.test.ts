import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  type MockHandler,
  type MockUpstream,
  replyChat,
  sendJson,
  startMock,
} from '../helpers/mock-upstream';
import { rawRequest } from '../helpers/raw-http';

/**
 * Only evidence the upstream produces about itself or the key changes health (docs/health.md):
 * nothing a client sends may disable a key or eject an upstream.
 */

const MARKER_WORDS = [
  'invalid_api_key',
  'insufficient_quota',
  'account_deactivated',
  'billing_not_active',
  'billing_hard_limit_reached',
  'API_KEY_INVALID',
  'authentication_error',
  'rate_limit_error',
  'RESOURCE_EXHAUSTED',
];

/** An OpenAI-like upstream: echoes unknown model names in a 404, refuses one path with 403. */
const openaiLike: MockHandler = (req, res) => {
  if (req.url.startsWith('/v1/files')) {
    sendJson(res, 403, {
      error: {
        message: 'You have insufficient permissions for this operation. Missing scopes: api.files.read.',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    return;
  }
  if (req.url.startsWith('/v1/embeddings')) {
    const input = String(req.json().input);
    sendJson(res, 400, {
      error: { message: `Invalid input: ${input}`, type: 'invalid_request_error', code: null },
    });
    return;
  }
  const model = req.body.length > 0 ? String(req.json().model) : '';
  if (model !== 'gpt-ok') {
    sendJson(res, 404, {
      error: {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    });
    return;
  }
  replyChat()(req, res);
};

/** Gemini's error shape; the request's text only ever appears in `message`. */
const geminiLike: MockHandler = (req, res) => {
  const text = req.body.length > 0 ? JSON.stringify(req.json()) : '';
  const error = (code: number, status: string, message: string) =>
    sendJson(res, code, [{ error: { code, message, status } }]);
  if (req.url.startsWith('/v1/files'))
    error(403, 'PERMISSION_DENIED', 'You do not have permission to access the File abc');
  else if (req.url.startsWith('/v1/embeddings'))
    error(400, 'INVALID_ARGUMENT', `Invalid value at 'input' (${text})`);
  else error(404, 'NOT_FOUND', `models/${String(req.json().model)} is not found for API version v1beta`);
};

/** Anthropic's error shape. */
const anthropicLike: MockHandler = (req, res) => {
  const text = req.body.length > 0 ? JSON.stringify(req.json()) : '';
  const error = (status: number, type: string, message: string) =>
    sendJson(res, status, { type: 'error', error: { type, message } });
  if (req.url.startsWith('/v1/files'))
    error(403, 'forbidden', 'This endpoint is not available for this request.');
  else if (req.url.startsWith('/v1/embeddings'))
    error(400, 'invalid_request_error', `input: unexpected ${text}`);
  else error(404, 'not_found_error', `model: ${String(req.json().model)}`);
};

interface HealthView {
  upstreams: { name: string; state: string; consecutive_faults: number; faults: number }[];
}
interface KeysView {
  keys: { key: string; state: string; consecutive_failures: number; last_verdict: string | null }[];
}

describe('hostile requests never change key or upstream health', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function setup(
    handler: MockHandler = openaiLike,
    provider: 'openai' | 'gemini' | 'anthropic' = 'openai',
  ): Promise<{ gw: TestGateway; mocks: MockUpstream[] }> {
    const mocks = [await startMock(handler), await startMock(handler)];
    const gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      retry: { backoff: 0 },
      // The strictest thresholds: a single wrongly counted answer would show.
      health: { eject_threshold: 1, blacklist_threshold: 1, marker_blacklist_threshold: 1 },
      upstreams: mocks.map((m, i) => ({
        name: `u${i}`,
        url: m.url,
        provider,
        keys: [`sk-hostile-key-00000${i}`],
      })),
    });
    cleanup.push(...mocks.map((m) => m.close), () => gw.stop(1000));
    return { gw, mocks };
  }

  const post = (gw: TestGateway, path: string, body: unknown) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  async function expectUntouched(gw: TestGateway): Promise<void> {
    const health = await admin<HealthView>(gw.url, 'GET', '/admin/health');
    for (const upstream of health.body.upstreams) {
      expect(upstream).toMatchObject({ state: 'healthy', consecutive_faults: 0, faults: 0 });
    }
    const keys = await admin<KeysView>(gw.url, 'GET', '/admin/keys');
    expect(keys.body.keys).toHaveLength(2);
    for (const key of keys.body.keys) {
      expect(key.state).toBe('active');
      expect(key.consecutive_failures).toBe(0);
      expect(['invalid_key', 'quota_exhausted', 'rate_limited']).not.toContain(key.last_verdict);
    }
  }

  it('models and inputs named after error markers, and a path answering 403, are client errors', async () => {
    const { gw } = await setup();
    for (const word of MARKER_WORDS) {
      const chat = await post(gw, '/v1/chat/completions', { model: word, messages: [] });
      expect(chat.status).toBe(404);
      const embed = await post(gw, '/v1/embeddings', { model: 'gpt-ok', input: word });
      expect(embed.status).toBe(400);
    }
    for (let i = 0; i < 4; i++) expect((await fetch(`${gw.url}/v1/files/abc`)).status).toBe(403);
    await expectUntouched(gw);
    const ok = await post(gw, '/v1/chat/completions', { model: 'gpt-ok', messages: [] });
    expect(ok.status).toBe(200);
  });

  it.each([
    ['gemini', geminiLike],
    ['anthropic', anthropicLike],
  ] as const)('%s: provider codes echoed in messages are client errors', async (provider, handler) => {
    const { gw } = await setup(handler, provider);
    for (const word of MARKER_WORDS) {
      const chat = await post(gw, '/v1/chat/completions', { model: word, messages: [] });
      expect(chat.status).toBe(404);
      const bad = await post(gw, '/v1/embeddings', { model: 'gpt-ok', input: word });
      expect(bad.status).toBe(400);
    }
    for (let i = 0; i < 4; i++) expect((await fetch(`${gw.url}/v1/files/abc`)).status).toBe(403);
    await expectUntouched(gw);
  });

  it('requests undici cannot send never reach an upstream and are recorded against no one', async () => {
    const { gw, mocks } = await setup();
    for (let i = 0; i < 3; i++) {
      const asterisk = await rawRequest(gw.url, 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(asterisk.status).toBe(200);
      expect(asterisk.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      const ftp = await rawRequest(
        gw.url,
        'GET ftp://example.test/v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      expect(ftp.status).toBe(400);
      expect(JSON.parse(ftp.body)).toMatchObject({
        error: { type: 'invalid_request_error', code: 'invalid_target' },
      });
    }
    expect(mocks[0]!.requests.length + mocks[1]!.requests.length).toBe(0);
    await expectUntouched(gw);
    const health = await admin<{ upstreams: { requests: number }[] }>(gw.url, 'GET', '/admin/health');
    expect(health.body.upstreams.map((u) => u.requests)).toEqual([0, 0]);
  });

  it('forwards a request sent with Expect: 100-continue without the header', async () => {
    const { gw, mocks } = await setup();
    const body = JSON.stringify({ model: 'gpt-ok', messages: [{ role: 'user', content: 'x'.repeat(2000) }] });
    const res = await rawRequest(
      gw.url,
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      { body, awaitContinue: true },
    );
    expect(res.interim).toEqual([100]);
    expect(res.status).toBe(200);
    const seen = [...mocks[0]!.requests, ...mocks[1]!.requests];
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.expect).toBeUndefined();
    expect(seen[0]!.body.toString()).toBe(body);
    await expectUntouched(gw);
  });
});
