import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestGateway } from '../helpers/gateway';
import { chunkEvent, type MockHandler, signal, startMock, startSse } from '../helpers/mock-upstream';

describe('streaming', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function setup(handler: MockHandler, upstreamExtra: Record<string, unknown> = {}) {
    const mock = await startMock(handler);
    const gw = await startTestGateway({
      upstreams: [{ name: 'm', url: mock.url, keys: ['sk-stream-key-0001'], ...upstreamExtra }],
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    return { mock, gw };
  }

  it('delivers each chunk before the upstream sends the next (no buffering)', async () => {
    // Lockstep: the mock sends chunk n+1 only after the client has received chunk n.
    // A gateway that buffered anything would deadlock here.
    const received = [signal(), signal(), signal(), signal()];
    const { gw } = await setup(async (_req, res) => {
      startSse(res);
      for (let n = 0; n < received.length; n++) {
        res.write(chunkEvent('m', `part${n} `));
        await received[n]!.promise;
      }
      res.end('data: [DONE]\n\n');
    });
    const stream = await gw.client().chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    let n = 0;
    for await (const chunk of stream) {
      expect(chunk.choices[0]!.delta.content).toBe(`part${n} `);
      received[n++]!.fire();
    }
    expect(n).toBe(4);
  });

  it('aborts the upstream request when the client disconnects', async () => {
    const upstreamSawAbort = signal();
    const firstChunkSent = signal();
    const { gw } = await setup(async (req, res) => {
      startSse(res);
      res.write(chunkEvent('m', 'first'));
      firstChunkSent.fire();
      await req.aborted;
      upstreamSawAbort.fire();
    });
    const controller = new AbortController();
    const stream = await gw
      .client()
      .chat.completions.create(
        { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true },
        { signal: controller.signal },
      );
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await firstChunkSent.promise;
    controller.abort();
    await upstreamSawAbort.promise;
    await expect.poll(() => gw.gateway.inFlight).toBe(0);
    const line = gw.logs.map((l) => JSON.parse(l)).find((l) => l.verdict === 'client_cancelled');
    expect(line).toMatchObject({ status: 499, upstream: 'm' });
  });

  it('ends a stream cut by the upstream with one SSE error event and no [DONE]', async () => {
    const { gw } = await setup((_req, res) => {
      startSse(res);
      for (let n = 0; n < 4; n++) res.write(chunkEvent('m', `c${n}`));
      res.write(chunkEvent('m', 'c4'), () => res.socket?.destroy());
    });
    const body = await rawPost(`${gw.url}/v1/chat/completions`, { model: 'm', stream: true, messages: [] });
    expect(body.status).toBe(200);
    const events = body.text.split('\n\n').filter(Boolean);
    expect(events).toHaveLength(6);
    const last = JSON.parse(events[5]!.replace(/^data: /, ''));
    expect(last.error).toMatchObject({ type: 'upstream_error', code: 'upstream_stream_interrupted' });
    expect(body.text).not.toContain('[DONE]');
  });

  it('does not retry a stream cut after its head on another upstream', async () => {
    const retried = signal();
    let asked = 0;
    const cut: MockHandler = (_req, res) => {
      if (++asked > 1) retried.fire();
      startSse(res);
      res.write(chunkEvent('m', 'head'), () => res.socket?.destroy());
    };
    const first = await startMock(cut);
    const second = await startMock(cut);
    const gw = await startTestGateway({
      retry: { backoff: 0, max_retry_after: 0 },
      upstreams: [
        { name: 'first', url: first.url, keys: ['sk-first-key-000001'] },
        { name: 'second', url: second.url, keys: ['sk-second-key-00001'] },
      ],
    });
    cleanup.push(first.close, second.close, () => gw.stop(1000));
    const answer = rawPost(`${gw.url}/v1/chat/completions`, { model: 'm', stream: true, messages: [] });
    const body = await Promise.race([answer, retried.promise.then(() => undefined)]);
    expect(body, 'the committed stream was retried on the other upstream').toBeDefined();
    expect(body!.status).toBe(200);
    const events = body!.text.split('\n\n').filter(Boolean);
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[0]!.replace(/^data: /, '')).choices[0].delta.content).toBe('head');
    const last = JSON.parse(events[1]!.replace(/^data: /, ''));
    expect(last.error).toMatchObject({ type: 'upstream_error', code: 'upstream_stream_interrupted' });
    // Whichever upstream the strategy picked first, the other one is never asked.
    expect(first.requests.length + second.requests.length).toBe(1);
  });

  it('ends a stream whose upstream stalls past the idle timeout with an SSE error event', async () => {
    const { gw } = await setup(
      (_req, res) => {
        startSse(res);
        res.write(chunkEvent('m', 'only'));
      },
      { timeouts: { idle: 200 } },
    );
    const body = await rawPost(`${gw.url}/v1/chat/completions`, { model: 'm', stream: true, messages: [] });
    expect(body.text).toContain('"code":"upstream_stream_interrupted"');
    // undici's text is for the operator (the attempt log line), not the client.
    expect(body.text).not.toContain('UND_ERR_BODY_TIMEOUT');
    await vi.waitFor(() => expect(gw.logs.some((line) => line.includes('UND_ERR_BODY_TIMEOUT'))).toBe(true));
  });
});

/** A raw HTTP POST that collects the whole body as text, whatever happens to the stream. */
export function rawPost(
  url: string,
  json: unknown,
): Promise<{ status: number; text: string; error?: Error }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', (error) => resolve({ status: res.statusCode ?? 0, text, error }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(json));
  });
}
