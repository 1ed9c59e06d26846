import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rawConnect } from '../helpers/raw-http';
import { Adversary, AUTH_KEY, CLIENT_TOKEN, expectForwarded, type HealthSnapshot } from './harness';

/** Clients that go away while sending: 499 `client_cancelled`, nothing held, nothing forwarded. */
const head = (key: string, framing: string) =>
  `POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\n${framing}\r\n`;

describe('aborted uploads', () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  /** Sends `text`, waits until the gateway has read it, then resets the connection. */
  async function abortAfter(text: string): Promise<void> {
    const socket = await rawConnect(adv.url);
    socket.on('error', () => {});
    const received = adv.gw.gateway.inFlight;
    socket.write(text);
    await vi.waitFor(() => expect(adv.gw.gateway.inFlight).toBeGreaterThan(received));
    socket.resetAndDestroy();
    await vi.waitFor(() => expect(adv.gw.gateway.inFlight).toBe(received));
  }

  const requestLines = () =>
    adv.gw.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'request');

  it.each([
    ['a Content-Length body cut short', head(AUTH_KEY, 'Content-Length: 1000\r\n') + '{"model":"gpt-4o"'],
    [
      'a chunked body cut between chunks',
      head(AUTH_KEY, 'Transfer-Encoding: chunked\r\n') + '5\r\n{"mod\r\n',
    ],
    ['a chunked body cut inside a chunk', head(AUTH_KEY, 'Transfer-Encoding: chunked\r\n') + '100\r\n{"mod'],
    [
      'an Expect: 100-continue upload cut after the 100',
      head(AUTH_KEY, 'Expect: 100-continue\r\nContent-Length: 50\r\n'),
    ],
  ])('%s is logged as 499 client_cancelled at info, never forwarded', async (_name, text) => {
    const sent = adv.upstreamRequests();
    const logged = requestLines().length;
    await abortAfter(text);
    await vi.waitFor(() => expect(requestLines().length).toBe(logged + 1));
    expect(requestLines().at(-1)).toMatchObject({ level: 30, status: 499, verdict: 'client_cancelled' });
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('a cancelled upload by a client with a quota leaves nothing reserved or charged', async () => {
    for (let i = 0; i < 5; i++) {
      await abortAfter(`${head(CLIENT_TOKEN, 'Content-Length: 500\r\n')}{"model":"gpt-4o","max_tokens":100`);
    }
    await vi.waitFor(async () => {
      const client = await adv.admin<{ usage: { quota: { used: number; reserved: number } } }>(
        '/admin/clients/small',
      );
      expect(client.usage.quota).toMatchObject({ used: 0, reserved: 0 });
    });
  });

  it('no warning or error was logged for any of them', () => {
    const levels = adv.gw.logs.map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.filter((level) => level >= 40)).toEqual([]);
    expect(adv.gw.logs.join('')).not.toContain('"stack"');
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
