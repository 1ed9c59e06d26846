import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../src/adapter/node/compression';
import type { ConfigInput } from '../../src/config/schema/index';
import { ADMIN_KEY } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { chunkEvent, type MockUpstream, sendJson, startMock, startSse } from '../helpers/mock-upstream';

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A request with exactly the headers given (fetch would add and undo its own Accept-Encoding). */
function raw(url: string, headers: Record<string, string>, body?: Buffer, method = body ? 'POST' : 'GET') {
  return new Promise<Raw>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const BIG = {
  id: 'x',
  object: 'list',
  data: Array.from({ length: 80 }, (_, i) => ({ id: `model-${i}`, text: 'lorem ipsum' })),
};
const BIG_TEXT = JSON.stringify(BIG);

describe('response compression', () => {
  let gw: TestGateway | undefined;
  let mock: MockUpstream | undefined;
  afterEach(async () => {
    await gw?.stop(100);
    await mock?.close();
    gw = undefined;
    mock = undefined;
  });

  async function start(server: ConfigInput['server'] = {}, extra: Partial<ConfigInput> = {}) {
    mock = await startMock((_req, res) => sendJson(res, 200, BIG));
    gw = await startTestGateway({
      server,
      upstreams: [{ name: 'u', url: mock.url, keys: ['sk-up-0001'] }],
      ...extra,
    });
    return gw;
  }

  it('sends an upstream JSON answer over 1 kB in Brotli or gzip, as the client accepts', async () => {
    await start();
    const url = `${gw!.url}/v1/chat/completions`;
    const body = Buffer.from('{"model":"m"}');
    const json = { 'content-type': 'application/json' };
    const br = await raw(url, { ...json, 'accept-encoding': 'gzip, deflate, br' }, body);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).toString()).toBe(BIG_TEXT);
    const gz = await raw(url, { ...json, 'accept-encoding': 'gzip;q=1, br;q=0' }, body);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(BIG_TEXT);
    const none = await raw(url, json, body);
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.toString()).toBe(BIG_TEXT);
  });

  it("compresses the gateway's own JSON, and nothing under 1 kB", async () => {
    await start({}, { admin: { key: ADMIN_KEY } });
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'accept-encoding': 'gzip' };
    const doc = await raw(`${gw!.url}/admin/openapi.json`, headers);
    expect(doc.status).toBe(200);
    expect(doc.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(doc.body).toString()).openapi).toMatch(/^3\./);
    const health = await raw(`${gw!.url}/health`, { 'accept-encoding': 'gzip, br' });
    expect(health.body.length).toBeLessThan(1024);
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString()).status).toBeDefined();
  });

  it('passes an answer the upstream encoded untouched, and never compresses SSE', async () => {
    await start();
    const encoded = gzipSync(Buffer.from(BIG_TEXT));
    mock!.handle((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(encoded.length),
      });
      res.end(encoded);
    });
    const url = `${gw!.url}/v1/chat/completions`;
    const json = { 'content-type': 'application/json', 'accept-encoding': 'br' };
    const passed = await raw(url, json, Buffer.from('{"model":"m"}'));
    expect(passed.headers['content-encoding']).toBe('gzip');
    expect(passed.body.equals(encoded)).toBe(true);
    mock!.handle((_req, res) => {
      startSse(res);
      for (let i = 0; i < 40; i++) res.write(chunkEvent('m', 'some streamed text '));
      res.end('data: [DONE]\n\n');
    });
    const sse = await raw(url, json, Buffer.from('{"model":"m","stream":true}'));
    expect(sse.headers['content-type']).toBe('text/event-stream');
    expect(sse.headers['content-encoding']).toBeUndefined();
    expect(sse.body.length).toBeGreaterThan(1024);
    expect(sse.body.toString().endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('is off with server.compression: false', async () => {
    await start({ compression: false });
    const res = await raw(
      `${gw!.url}/v1/chat/completions`,
      { 'content-type': 'application/json', 'accept-encoding': 'br, gzip' },
      Buffer.from('{"model":"m"}'),
    );
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(BIG_TEXT);
  });
});

describe('compressed request bodies', () => {
  let gw: TestGateway | undefined;
  let mock: MockUpstream | undefined;
  afterEach(async () => {
    await gw?.stop(100);
    await mock?.close();
  });

  it('decodes a gzip body, forwards it decoded, and refuses one that expands past the limit with 413', async () => {
    mock = await startMock((req, res) =>
      sendJson(res, 200, { seen: req.json(), encoding: req.headers['content-encoding'] ?? null }),
    );
    gw = await startTestGateway({
      server: { max_body_size: '64kb' },
      upstreams: [{ name: 'u', url: mock.url, keys: ['sk-up-0001'] }],
    });
    const url = `${gw.url}/v1/chat/completions`;
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const ok = await raw(url, headers, gzipSync('{"model":"m","messages":[]}'));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).toEqual({ seen: { model: 'm', messages: [] }, encoding: null });
    expect(mock.requests[0]!.headers['content-length']).toBe('27');
    // 10 MB of spaces inside a JSON string: about 10 kB compressed, far under the limit as sent.
    const bomb = gzipSync(`{"model":"m","pad":"${' '.repeat(10 * 1024 * 1024)}"}`);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const refused = await raw(url, headers, bomb);
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body.toString()).error.code).toBe('request_too_large');
    expect(mock.requests).toHaveLength(1);
    const broken = await raw(url, headers, Buffer.from('not gzip at all'));
    expect(broken.status).toBe(400);
  });
});

describe('chooseEncoding', () => {
  it('prefers Brotli, honours q=0 and *, and accepts neither for identity', () => {
    expect(chooseEncoding('gzip, br')).toBe('br');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding('gzip;q=0')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});
