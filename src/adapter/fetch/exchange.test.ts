import { describe, expect, it } from 'vitest';
import { FetchExchange } from './exchange';

const encoder = new TextEncoder();

describe('FetchExchange: a fetch Request and Response as the gateway sees them', () => {
  it('exposes the request line, headers and body', async () => {
    const request = new Request('http://gw.example/v1/chat/completions?x=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc' },
      body: '{"model":"m"}',
    });
    const exchange = new FetchExchange(request, '203.0.113.9');
    expect(exchange.method).toBe('POST');
    expect(exchange.target).toBe('/v1/chat/completions?x=1');
    expect(exchange.header('x-request-id')).toBe('abc');
    expect(exchange.header('missing')).toBeUndefined();
    expect(exchange.remoteAddress).toBe('203.0.113.9');
    expect(exchange.rawHeaders).toContain('content-type');
    expect(new TextDecoder().decode((await exchange.readBody(1000))!)).toBe('{"model":"m"}');
  });

  it('refuses a body over the limit with request_too_large, and reads no body as null', async () => {
    const big = new FetchExchange(new Request('http://gw/', { method: 'POST', body: 'x'.repeat(100) }), '');
    await expect(big.readBody(10)).rejects.toMatchObject({ code: 'request_too_large', status: 413 });
    expect(await new FetchExchange(new Request('http://gw/'), '').readBody(10)).toBeNull();
  });

  it('resolves the response at writeHead and streams what is written', async () => {
    const exchange = new FetchExchange(new Request('http://gw/'), '');
    exchange.writeHead(201, ['content-type', 'text/plain', 'connection', 'keep-alive', 'x-a', '1']);
    const response = await exchange.response;
    expect(response.status).toBe(201);
    expect(response.headers.get('x-a')).toBe('1');
    expect(response.headers.get('connection')).toBeNull();
    const reader = response.body!.getReader();
    exchange.write('one');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('one');
    exchange.end(encoder.encode('two'));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('two');
    expect((await reader.read()).done).toBe(true);
    expect(exchange.closed).toBe(true);
  });

  it('asks the writer to wait once 64 KiB are queued, and calls onDrain when the client read them', async () => {
    const exchange = new FetchExchange(new Request('http://gw/'), '');
    exchange.writeHead(200, []);
    const response = await exchange.response;
    expect(exchange.write(new Uint8Array(32 * 1024))).toBe(true);
    expect(exchange.write(new Uint8Array(32 * 1024))).toBe(false);
    let drained = false;
    exchange.onDrain(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(drained).toBe(true);
  });

  it('calls onClose when the client cancels the stream, not after a normal end', async () => {
    const cancelled = new FetchExchange(new Request('http://gw/'), '');
    let closes = 0;
    cancelled.onClose(() => closes++);
    cancelled.writeHead(200, []);
    await (await cancelled.response).body!.cancel();
    cancelled.write('late');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(closes).toBe(1);
    expect(cancelled.closed).toBe(true);

    const ended = new FetchExchange(new Request('http://gw/'), '');
    ended.onClose(() => closes++);
    ended.writeHead(200, []);
    ended.end('done');
    expect(await (await ended.response).text()).toBe('done');
    expect(closes).toBe(1);
  });

  it('calls onClose when the request is aborted', async () => {
    const controller = new AbortController();
    const exchange = new FetchExchange(new Request('http://gw/', { signal: controller.signal }), '');
    let closed = false;
    exchange.onClose(() => {
      closed = true;
    });
    controller.abort();
    expect(closed).toBe(true);
  });

  it('answers a 204 without a body', async () => {
    const exchange = new FetchExchange(new Request('http://gw/'), '');
    exchange.writeHead(204, ['content-length', '0']);
    exchange.end();
    const response = await exchange.response;
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});
