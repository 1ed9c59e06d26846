import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY } from '../helpers/admin';
import { expectNoSecrets, gatewayOutput } from '../helpers/canary';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, signal, startMock } from '../helpers/mock-upstream';

const KEY = 'sk-sy-typeless-0123456789abcdef';

/** The content types a client may put on a JSON body; `undefined` sends none at all. */
const TYPES = [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'];

describe('JSON bodies under other content types', () => {
  let mock: MockUpstream;
  let gw: TestGateway;

  beforeEach(async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      upstreams: [{ name: 'mock', url: mock.url }],
      routes: [
        { name: 'banned', match: { model: 'banned-*' }, reject: { code: 'model_not_allowed', status: 403 } },
        { name: 'alias', match: { model: 'alias' }, upstreams: ['mock'], rewrite: { model: 'real-model' } },
        { name: 'main', upstreams: ['mock'] },
      ],
      clients: [{ name: 'typeless', key: KEY, quota: { tokens: 300, period: 'month' } }],
    });
  });

  afterEach(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  function send(path: string, body: string | Uint8Array, type: string | undefined) {
    const headers: Record<string, string> = { authorization: `Bearer ${KEY}` };
    if (type !== undefined) headers['content-type'] = type;
    // a Uint8Array body makes fetch send no content type of its own
    const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    return fetch(`${gw.url}${path}`, { method: 'POST', headers, body: payload });
  }

  const chat = (model: string, extra: object = {}) =>
    JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

  it('applies a reject rule on the model whatever the content type says', async () => {
    for (const type of TYPES) {
      const response = await send('/v1/chat/completions', chat('banned-model'), type);
      expect(response.status, `content type ${type}`).toBe(403);
      expect((await errorOf(response)).code).toBe('model_not_allowed');
    }
    expect(mock.requests.length).toBe(0);
  });

  it('rewrites the model of a text/plain body', async () => {
    const response = await send('/v1/chat/completions', chat('alias'), 'text/plain');
    expect(response.status).toBe(200);
    expect(mock.requests[0]!.json().model).toBe('real-model');
  });

  it('reserves the quota estimate for a body sent without a content type', async () => {
    const release = signal();
    mock.handle(async (_req, res) => {
      await release.promise;
      replyChat()(_req, res);
    });
    const pending = send('/v1/chat/completions', chat('gpt-4o', { max_tokens: 200 }), undefined);
    await vi.waitFor(() => expect(mock.requests.length).toBe(1));
    const status = await fetch(`${gw.url}/admin/clients/typeless`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const quota = ((await status.json()) as { usage: { quota: { reserved: number } } }).usage.quota;
    expect(quota.reserved).toBe(1 + 3 + 200); // "hi", one message's framing, max_tokens
    release.fire();
    expect((await pending).status).toBe(200);
  });

  it('refuses a body that is not JSON on an endpoint that only takes JSON', async () => {
    const answers: string[] = [];
    for (const type of TYPES) {
      const response = await send('/v1/chat/completions', 'model=banned-model&x=1', type);
      expect(response.status, `content type ${type}`).toBe(400);
      const text = await response.text();
      answers.push(text);
      expect(JSON.parse(text).error.code).toBe('invalid_json');
    }
    expect(mock.requests.length).toBe(0);
    expectNoSecrets([KEY, ADMIN_KEY], {
      logs: gw.logs,
      answers,
      ...(await gatewayOutput(gw.url, ADMIN_KEY)),
    });
  });

  it('passes multipart and binary uploads, and non-JSON text elsewhere, on unread', async () => {
    const boundary = 'sy-boundary-1';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nbanned-model\r\n--${boundary}--\r\n`;
    const uploads: [string, string, string][] = [
      ['/v1/audio/transcriptions', multipart, `multipart/form-data; boundary=${boundary}`],
      ['/v1/files', '{"model":"banned-model"', 'application/octet-stream'],
      ['/v1/custom/thing', 'plain words, not JSON', 'text/plain'],
    ];
    for (const [path, body, type] of uploads) {
      mock.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
      const response = await send(path, body, type);
      expect(response.status, path).toBe(200);
      expect(mock.requests.at(-1)!.body.toString()).toBe(body);
    }
  });
});
