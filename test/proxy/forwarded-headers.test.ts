import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway';
import { replyChat, startMock } from '../helpers/mock-upstream';

const CHAT = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
const SPOOFING = {
  'content-type': 'application/json',
  cookie: 'session=client-session-secret',
  'x-forwarded-for': '10.9.9.9',
  forwarded: 'for=10.9.9.9',
  'x-real-ip': '10.9.9.9',
};

describe('what the upstream is told about the client', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function seenBy(server: Record<string, unknown>) {
    const mock = await startMock(replyChat());
    const gw = await startTestGateway({
      server,
      upstreams: [{ name: 'mock', url: mock.url, keys: ['sk-upstream-000000000001'] }],
    });
    cleanup.push(
      () => mock.close(),
      () => gw.stop(),
    );
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: SPOOFING,
      body: CHAT,
    });
    expect(response.status).toBe(200);
    return mock.requests[0]!.headers;
  }

  it('drops Cookie and the client-sent forwarding headers; X-Forwarded-For is the peer address', async () => {
    const headers = await seenBy({});
    expect(headers.cookie).toBeUndefined();
    expect(headers.forwarded).toBeUndefined();
    expect(headers['x-real-ip']).toBeUndefined();
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('keeps Cookie with server.forward_cookies', async () => {
    const headers = await seenBy({ forward_cookies: true });
    expect(headers.cookie).toBe('session=client-session-secret');
  });

  it('behind a trusted proxy, appends the peer to the chain the proxy sent', async () => {
    const headers = await seenBy({ trust_proxy: true });
    expect(headers['x-forwarded-for']).toBe('10.9.9.9, 127.0.0.1');
  });
});
