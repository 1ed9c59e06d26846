import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, signal, startMock } from '../../../test/helpers/mock-upstream';
import { testUpstream } from '../../../test/helpers/routing';
import type { HeaderRecord } from '../../http/types';
import type { UpstreamController, UpstreamHandler, UpstreamRequest } from '../../proxy/transport';
import { FetchTransport, headerRecord } from './fetch-transport';

/** A handler that records the callbacks in order. */
function recorder() {
  const events: string[] = [];
  let controller: UpstreamController | undefined;
  let head: HeaderRecord = {};
  const done = signal();
  const handler: UpstreamHandler = {
    onStart: (c) => {
      controller = c;
      events.push('start');
    },
    onHead: (status, headers) => {
      head = headers;
      events.push(`head ${status}`);
    },
    onData: (chunk) => events.push(`data ${new TextDecoder().decode(chunk)}`),
    onEnd: () => {
      events.push('end');
      done.fire();
    },
    onError: (err) => {
      events.push(`error ${(err as Error & { code?: string }).code ?? err.message}`);
      done.fire();
    },
  };
  return { events, handler, done: done.promise, controller: () => controller!, head: () => head };
}

function request(path: string, extra: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    path,
    method: 'GET',
    headers: ['x-a', '1'],
    body: null,
    headersTimeout: 5_000,
    bodyTimeout: 5_000,
    ...extra,
  };
}

describe('FetchTransport: the upstream side over fetch', () => {
  let mock: MockUpstream;
  const transport = new FetchTransport();
  const release = signal();
  const releasePaused = signal();
  const pausedSent = signal();

  beforeAll(async () => {
    mock = await startMock(async (req, res) => {
      if (req.url === '/cookies') {
        res.writeHead(
          200,
          [
            ['set-cookie', 'a=1'],
            ['set-cookie', 'b=2'],
            ['x-b', '2'],
          ].flat(),
        );
        res.end('ok');
      } else if (req.url === '/slow-head') {
        await release.promise;
        res.end();
      } else if (req.url === '/paused') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('one');
        await releasePaused.promise;
        res.end('two', () => pausedSent.fire());
      } else if (req.url === '/two') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('one');
        await release.promise;
        res.end('two');
      } else {
        res.writeHead(200, { 'x-seen': String(req.headers['x-a']) });
        res.end(req.body);
      }
    });
  });

  afterAll(async () => {
    release.fire();
    await mock.close();
  });

  it('sends the flat headers and body, and reports head, data and end in order', async () => {
    const r = recorder();
    transport.dispatch(
      testUpstream('m', { url: mock.url }),
      request('/echo', { method: 'POST', body: new TextEncoder().encode('hello') }),
      r.handler,
    );
    await r.done;
    expect(r.events).toEqual(['start', 'head 200', 'data hello', 'end']);
    expect(r.head()['x-seen']).toBe('1');
  });

  it('keeps Set-Cookie as a list', async () => {
    const r = recorder();
    transport.dispatch(testUpstream('m', { url: mock.url }), request('/cookies'), r.handler);
    await r.done;
    expect(r.head()['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(r.head()['x-b']).toBe('2');
  });

  it('fails with a headers timeout when no head comes in time', async () => {
    const r = recorder();
    transport.dispatch(
      testUpstream('m', { url: mock.url }),
      request('/slow-head', { headersTimeout: 50 }),
      r.handler,
    );
    await r.done;
    expect(r.events).toEqual(['start', 'error UND_ERR_HEADERS_TIMEOUT']);
  });

  it('reports a connection failure before any response as an error', async () => {
    const r = recorder();
    transport.dispatch(testUpstream('m', { url: 'http://127.0.0.1:9' }), request('/'), r.handler);
    await r.done;
    expect(r.events[0]).toBe('start');
    expect(r.events[1]).toMatch(/^error /);
    expect(r.events).toHaveLength(2);
  });

  it('aborts a response in progress with the given reason', async () => {
    const r = recorder();
    const reason = Object.assign(new Error('client left'), { code: 'SY_CLIENT_CANCELLED' });
    const first = signal();
    const handler: UpstreamHandler = {
      ...r.handler,
      onData: (chunk) => {
        r.handler.onData(chunk);
        first.fire();
      },
    };
    transport.dispatch(testUpstream('m', { url: mock.url }), request('/two'), handler);
    await first.promise;
    r.controller().abort(reason);
    await r.done;
    expect(r.events).toEqual(['start', 'head 200', 'data one', 'error SY_CLIENT_CANCELLED']);
  });

  it('holds the body while paused and goes on after resume', async () => {
    const r = recorder();
    const first = signal();
    const handler: UpstreamHandler = {
      ...r.handler,
      onData: (chunk) => {
        r.handler.onData(chunk);
        if (r.events.length === 3) r.controller().pause();
        first.fire();
      },
    };
    transport.dispatch(testUpstream('m', { url: mock.url }), request('/paused'), handler);
    await first.promise;
    releasePaused.fire();
    await pausedSent.promise;
    const outcome = await Promise.race([
      r.done.then(() => 'done'),
      new Promise((resolve) => setTimeout(resolve, 50, 'held')),
    ]);
    expect(outcome).toBe('held');
    expect(r.events).toEqual(['start', 'head 200', 'data one']);
    r.controller().resume();
    await r.done;
    expect(r.events).toEqual(['start', 'head 200', 'data one', 'data two', 'end']);
  });

  it('drops a declared length once the runtime decoded the body', () => {
    const headers = new Headers({ 'content-encoding': 'gzip', 'content-length': '10' });
    expect(headerRecord(headers)).toEqual({ 'content-encoding': 'gzip' });
  });
});
