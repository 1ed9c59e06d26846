import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';

/** iFlytek-style `appid:secret`, and a password-like key with `@ ! = %`. */
const APPID_KEY = 'a1b2c3d4e5f6:Zx9Yw8Vu7Ts6Rq5Po4';
const PUNCTUATED_KEY = 'svc@acme!pw=42%zz-0001';

describe('secrets with characters outside the token alphabet', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  /**
   * An upstream that echoes the credential it was sent in an error the gateway passes on (a 401
   * is not passed on: the client gets upstream_keys_rejected).
   */
  async function echoingUpstream(): Promise<MockUpstream> {
    const mock = await startMock((req, res) => {
      const sent = String(req.headers.authorization ?? '').replace('Bearer ', '');
      sendJson(res, 400, {
        error: { message: `Incorrect API key provided: ${sent}.`, code: null },
      });
    });
    cleanup.push(mock.close);
    return mock;
  }

  async function gateway(mock: MockUpstream, keys: string[]): Promise<TestGateway> {
    const gw = await startTestGateway({
      upstreams: [{ name: 'a', url: mock.url, keys }],
      retry: { max_attempts: 1 },
    });
    cleanup.push(() => gw.stop(1000));
    return gw;
  }

  it('are masked in the error body passed to the client and in the logs', async () => {
    const mock = await echoingUpstream();
    const gw = await gateway(mock, [APPID_KEY, PUNCTUATED_KEY]);
    const bodies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"model":"m","messages":[]}',
      });
      expect(res.status).toBe(400);
      bodies.push(await res.text());
    }
    expect(mock.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${APPID_KEY}`,
      `Bearer ${PUNCTUATED_KEY}`,
    ]);
    expect(bodies[0]).toContain('Incorrect API key provided: ...5Po4.');
    expect(bodies[1]).toContain('Incorrect API key provided: ...0001.');
    const logs = gw.logs.join('\n');
    expect(logs).toContain('...5Po4');
    for (const key of [APPID_KEY, PUNCTUATED_KEY]) {
      expect(logs).not.toContain(key);
      for (const body of bodies) expect(body).not.toContain(key);
    }
  });
});
