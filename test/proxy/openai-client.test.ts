import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestGateway, type TestGateway, type Transport } from '../helpers/gateway';
import {
  chatCompletion,
  chunkEvent,
  type MockHandler,
  type MockUpstream,
  sendJson,
  startMock,
  startSse,
} from '../helpers/mock-upstream';

// The same cases over a real socket and in-process (serveFetch): one lifecycle, two entries.
describe.each<Transport>(['socket', 'in-process'])(
  'the official openai client through the gateway (%s)',
  (via) => {
    let mock: MockUpstream;
    let gw: TestGateway;
    const client = (...args: Parameters<TestGateway['client']>) => clientFor(gw, via, ...args);
    const call = (path: string, init?: RequestInit) =>
      via === 'socket'
        ? fetch(`${gw.url}${path}`, init)
        : gw.fetchInProcess(`http://in-process.test${path}`, init);

    beforeAll(async () => {
      mock = await startMock((req, res) => {
        const handler = ROUTES[req.url.split('?')[0]!];
        if (handler) return handler(req, res);
        sendJson(res, 404, { error: { message: 'unknown', type: 'invalid_request_error', code: null } });
      });
      gw = await startTestGateway({
        upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-key-0001'] }],
        models_cache_ttl: 0, // every GET /v1/models reaches the mock
      });
    });

    afterAll(async () => {
      await gw.stop(1000);
      await mock.close();
    });

    it('proxies a chat completion and injects the upstream key', async () => {
      const completion = await client('sk-client-secret').chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'ping' }],
      });
      expect(completion.choices[0]!.message.content).toBe('pong');
      expect(completion.model).toBe('gpt-4o');
      const seen = mock.requests.at(-1)!;
      expect(seen.headers.authorization).toBe('Bearer sk-upstream-key-0001');
      expect(JSON.stringify(seen.headers)).not.toContain('sk-client-secret');
      expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('streams a chat completion', async () => {
      const stream = await client().chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('Hello there!');
    });

    it('proxies embeddings and the model list', async () => {
      const openai = client();
      const embedding = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
      expect(embedding.data[0]!.embedding).toEqual([0.5, 0.25, -1]);
      const models = await openai.models.list();
      expect(models.data.map((m) => m.id)).toEqual(['gpt-4o']);
    });

    it('passes a multipart audio upload through intact', async () => {
      const file = await toFile(Buffer.from('RIFF-fake-audio-bytes'), 'clip.wav', { type: 'audio/wav' });
      const result = await client().audio.transcriptions.create({ file, model: 'whisper-1' });
      expect(result.text).toBe('multipart ok');
    });

    it('passes a binary response through byte for byte', async () => {
      const response = await client().audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect([...bytes]).toEqual([0xff, 0xfb, 0x90, 0x00, 0x01, 0x02, 0x03, 0xfe]);
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      expect(response.headers.get('content-length')).toBe('8');
    });

    it('forwards unknown paths with their query string and passes upstream errors through', async () => {
      const response = await call('/v1/never/heard/of?x=1&y=two', { method: 'DELETE' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { message: 'unknown', type: 'invalid_request_error', code: null },
      });
      expect(mock.requests.at(-1)!.url).toBe('/v1/never/heard/of?x=1&y=two');
      expect(mock.requests.at(-1)!.method).toBe('DELETE');
    });

    it('answers HEAD with the upstream length and no body', async () => {
      const get = await call('/v1/models');
      const length = get.headers.get('content-length');
      await get.arrayBuffer();
      const head = await call('/v1/models', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(length);
      expect(Number(length)).toBeGreaterThan(0);
    });

    it('propagates a client x-request-id and returns it', async () => {
      const response = await call('/v1/models', { headers: { 'x-request-id': 'trace-abc-123' } });
      expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
      expect(mock.requests.at(-1)!.headers['x-request-id']).toBe('trace-abc-123');
      expect(response.headers.get('server-timing')).toMatch(/gateway;dur=[\d.]+, upstream;dur=[\d.]+/);
    });
  },
);

/** The mock upstream's scripted answers, by path. */
const ROUTES: Record<string, MockHandler> = {
  '/v1/chat/completions': (req, res) => {
    const body = req.json<{ model: string; stream?: boolean }>();
    if (body.stream) {
      startSse(res);
      for (const word of ['Hello', ' there', '!']) res.write(chunkEvent(body.model, word));
      res.end('data: [DONE]\n\n');
      return;
    }
    sendJson(res, 200, chatCompletion(body.model, 'pong'));
  },
  '/v1/embeddings': (req, res) => {
    const vector = [0.5, 0.25, -1];
    const base64 = req.json().encoding_format === 'base64';
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    sendJson(res, 200, {
      object: 'list',
      model: 'text-embedding-3-small',
      data: [{ object: 'embedding', index: 0, embedding }],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  },
  '/v1/models': (_req, res) => {
    sendJson(res, 200, {
      object: 'list',
      data: [{ id: 'gpt-4o', object: 'model', created: 1, owned_by: 'x' }],
    });
  },
  '/v1/audio/transcriptions': (req, res) => {
    const multipart = String(req.headers['content-type']).startsWith('multipart/');
    const sawFile = multipart && req.body.toString('latin1').includes('RIFF-fake-audio');
    sendJson(res, 200, { text: sawFile ? 'multipart ok' : 'no file' });
  },
  '/v1/audio/speech': (_req, res) => {
    const audio = Buffer.from([0xff, 0xfb, 0x90, 0x00, 0x01, 0x02, 0x03, 0xfe]);
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(audio.length) });
    res.end(audio);
  },
};
