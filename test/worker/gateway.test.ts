import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatCompletion,
  chunkEvent,
  type MockUpstream,
  replyChat,
  sendJson,
  signal,
  startMock,
  startSse,
} from '../helpers/mock-upstream';
import { readChunks, runScheduled, startWorker, type WorkerRequestInit } from './harness';

const TOKEN = 'sk-client-worker-0001';
const auth = { authorization: `Bearer ${TOKEN}` };

function chat(model: string, stream = false): WorkerRequestInit {
  return {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
  };
}

describe('the Worker bundle in workerd', () => {
  const mocks: Record<string, MockUpstream> = {};
  let mf: Miniflare;
  const firstChunkSeen = signal();
  /** The mock holds its last chunk until the client saw the first (false: it gave up waiting). */
  let heldUntilClientSawFirst: boolean | undefined;

  beforeAll(async () => {
    mocks.rotate = await startMock(replyChat());
    mocks.broken = await startMock((_req, res) => sendJson(res, 500, { error: { message: 'down' } }));
    mocks.good = await startMock((req, res) =>
      sendJson(res, 200, chatCompletion(req.json().model as string, 'good')),
    );
    mocks.stream = await startMock(async (req, res) => {
      const model = req.json().model as string;
      startSse(res);
      res.write(chunkEvent(model, 'one'));
      const late = new Promise<boolean>((resolve) => setTimeout(resolve, 3_000, false));
      heldUntilClientSawFirst = await Promise.race([firstChunkSeen.promise.then(() => true), late]);
      res.write(chunkEvent(model, 'two'));
      res.end('data: [DONE]\n\n');
    });
    mocks.endless = await startMock((req, res) => {
      startSse(res);
      res.write(chunkEvent(req.json().model as string, 'first'));
      const more = setInterval(() => res.write(chunkEvent('endless-model', 'more')), 50);
      void req.aborted.then(() => clearInterval(more));
    });
    mocks.doh = await startMock((req, res) => {
      res.writeHead(200, { 'content-type': 'application/dns-message' });
      res.end(req.body);
    });
    mocks.sleepy = await startMock((_req, res) => sendJson(res, 200, { awake: true }));
    mocks.sick = await startMock((_req, res) => sendJson(res, 503, { error: { message: 'sick' } }));
    mf = startWorker({
      config: {
        server: { log_level: 'warn' },
        clients: [{ name: 'app', key: TOKEN }],
        upstreams: [
          { name: 'rotate', url: mocks.rotate.url, keys: ['sk-rotate-key-000001', 'sk-rotate-key-000002'] },
          { name: 'broken', url: mocks.broken.url, keys: ['sk-broken-key-00001'] },
          { name: 'good', url: mocks.good.url, keys: ['sk-good-key-0000001'], priority: 1 },
          { name: 'stream', url: mocks.stream.url, keys: ['sk-stream-key-00001'] },
          { name: 'doh', url: mocks.doh.url, provider: 'none' },
          {
            name: 'sleepy',
            url: mocks.sleepy.url,
            keys: ['sk-sleepy-key-00001'],
            keepalive: { interval: '10m', path: '/wake' },
          },
          { name: 'endless', url: mocks.endless.url, keys: ['sk-endless-key-0001'] },
          {
            name: 'sick',
            url: mocks.sick.url,
            keys: ['sk-sick-key-0000001'],
            health_check: { path: '/probe', interval: '10m', unhealthy_threshold: 1 },
          },
        ],
        routes: [
          { name: 'dns', match: { path: '/dns-query' }, protocol: 'doh', upstreams: ['doh'] },
          { name: 'rotation', match: { model: 'rotate-model' }, upstreams: ['rotate'] },
          { name: 'failover', match: { model: 'failover-model' }, upstreams: ['broken', 'good'] },
          { name: 'streams', match: { model: 'stream-model' }, upstreams: ['stream'] },
          { name: 'endless', match: { model: 'endless-model' }, upstreams: ['endless'] },
        ],
      },
    });
  });

  afterAll(async () => {
    await mf?.dispose();
    await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  });

  it('streams a chat completion chunk by chunk', async () => {
    const response = await mf.dispatchFetch('http://gw/v1/chat/completions', chat('stream-model', true));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const body = await readChunks(response.body as ReadableStream<Uint8Array>, (text) => {
      if (text.includes('"one"')) firstChunkSeen.fire();
    });
    expect(heldUntilClientSawFirst).toBe(true);
    expect(body).toContain('"content":"one"');
    expect(body).toContain('"content":"two"');
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('aborts the upstream stream when the client goes away', async () => {
    const response = await mf.dispatchFetch('http://gw/v1/chat/completions', chat('endless-model', true));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"first"');
    await reader.cancel();
    await mocks.endless!.requests[0]!.aborted;
  });

  it('rotates the keys of an upstream', async () => {
    const before = mocks.rotate!.requests.length;
    for (let i = 0; i < 4; i++) {
      const response = await mf.dispatchFetch('http://gw/v1/chat/completions', chat('rotate-model'));
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const keys = mocks.rotate!.requests.slice(before).map((req) => req.headers.authorization);
    expect(keys).toEqual([
      'Bearer sk-rotate-key-000001',
      'Bearer sk-rotate-key-000002',
      'Bearer sk-rotate-key-000001',
      'Bearer sk-rotate-key-000002',
    ]);
  });

  it('fails over from a failing upstream to the next', async () => {
    const response = await mf.dispatchFetch('http://gw/v1/chat/completions', chat('failover-model'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).toBe('good');
    expect(mocks.broken!.requests.length).toBeGreaterThan(0);
  });

  it('refuses a missing or unknown client token and accepts the right one', async () => {
    const missing = await mf.dispatchFetch('http://gw/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"rotate-model","messages":[]}',
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    const wrong = await mf.dispatchFetch('http://gw/v1/models', {
      headers: { authorization: 'Bearer sk-nope-000000000' },
    });
    expect(wrong.status).toBe(401);
    await wrong.arrayBuffer();
    const right = await mf.dispatchFetch('http://gw/v1/models', { headers: auth });
    expect(right.status).toBe(200);
    await right.arrayBuffer();
  });

  it('checks the shape of a DoH request and passes a DNS message through', async () => {
    const empty = await mf.dispatchFetch('http://gw/dns-query', { headers: auth });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    const message = Uint8Array.from([
      0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 0, 0, 1, 0, 1,
    ]);
    const answer = await mf.dispatchFetch('http://gw/dns-query', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/dns-message' },
      body: message,
    });
    expect(answer.status).toBe(200);
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(message);
  });

  it('sends the keep-alive pings and health checks due when a scheduled event comes', async () => {
    const sickUsable = async () => {
      const response = await mf.dispatchFetch('http://gw/health');
      const report = (await response.json()) as { upstreams: { name: string; usable: boolean }[] };
      return report.upstreams.find((upstream) => upstream.name === 'sick')?.usable;
    };
    expect(await sickUsable()).toBe(true);
    expect(mocks.sleepy!.requests.filter((req) => req.url === '/wake')).toHaveLength(0);
    expect(mocks.sick!.requests).toHaveLength(0);
    expect(await runScheduled(mf)).toBe('ok');
    expect(mocks.sleepy!.requests.filter((req) => req.url === '/wake')).toHaveLength(1);
    expect(mocks.sick!.requests.map((req) => req.url)).toEqual(['/probe']);
    expect(await sickUsable()).toBe(false);
    expect(await runScheduled(mf)).toBe('ok');
    expect(mocks.sleepy!.requests.filter((req) => req.url === '/wake')).toHaveLength(1);
    expect(mocks.sick!.requests).toHaveLength(1);
  });

  it('refuses admin API changes: it is read-only on a Worker', async () => {
    const response = await mf.dispatchFetch('http://gw/admin/upstreams', { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('admin_read_only');
  });
});
