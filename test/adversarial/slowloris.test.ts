import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawConnect, readUntilClose } from '../helpers/raw-http';
import { Adversary, AUTH_KEY, expectForwarded, expectGatewayError, type HealthSnapshot } from './harness';

/**
 * Slow clients against small configured timeouts (the harness: headers 1 s, body idle 1 s,
 * whole body 2 s, keep-alive 500 ms). Each is cut with 408 in the OpenAI shape; the bound on
 * the time is loose (several times the deadline) so a loaded machine cannot fail it.
 */
const HEAD = `POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ${AUTH_KEY}\r\nContent-Type: application/json\r\n`;
const BODY = '{"model":"gpt-4o","messages":[]}';

function drip(socket: Socket, piece: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (socket.writable) socket.write(piece);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

async function slow(start: string, piece: string | null, everyMs = 50) {
  const socket = await rawConnect(adv.url);
  const answer = readUntilClose(socket);
  socket.write(start);
  if (piece !== null) drip(socket, piece, everyMs);
  const result = await answer;
  adv.answers.push(result.raw);
  return result;
}

let adv: Adversary;

describe('slowloris and slow bodies', () => {
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  it('headers dripped a line at a time are cut with 408', async () => {
    const answer = await slow('POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n', 'X-Drip: 1\r\n');
    expect(answer.status).toBe(408);
    expectGatewayError(answer.body, 'request_timeout', 'timeout_error');
    expect(answer.closedAfterMs).toBeLessThan(10_000);
  });

  it('a request line that never ends is cut with 408', async () => {
    const answer = await slow('GET /v1/models', 'a');
    expect(answer.status).toBe(408);
    expectGatewayError(answer.body, 'request_timeout', 'timeout_error');
  });

  it('a body dripped a byte at a time is cut with 408 at the whole-body deadline', async () => {
    const answer = await slow(`${HEAD}Content-Length: 100000\r\n\r\n`, ' ');
    expect(answer.status).toBe(408);
    expectGatewayError(answer.body, 'request_timeout', 'timeout_error');
    expect(answer.closedAfterMs).toBeLessThan(10_000);
  });

  it('a chunked body dripped a chunk at a time is cut with 408', async () => {
    const answer = await slow(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`, '1\r\n \r\n');
    expect(answer.status).toBe(408);
    expectGatewayError(answer.body, 'request_timeout', 'timeout_error');
  });

  it('a body that stops is cut with 408 at the idle deadline', async () => {
    const answer = await slow(`${HEAD}Content-Length: ${BODY.length}\r\n\r\n${BODY.slice(0, 5)}`, null);
    expect(answer.status).toBe(408);
    expectGatewayError(answer.body, 'request_timeout', 'timeout_error');
  });

  it('twenty slow clients at once are all cut, and a normal client is served meanwhile', async () => {
    const sent = adv.upstreamRequests();
    const slowOnes = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? slow('GET /v1/models HTTP/1.1\r\nHost: gw\r\n', 'X: y\r\n')
        : slow(`${HEAD}Content-Length: 999\r\n\r\n`, ' '),
    );
    expectForwarded(await adv.post('/v1/chat/completions', BODY));
    const answers = await Promise.all(slowOnes);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(408));
    expect(adv.upstreamRequests()).toBe(sent + 1);
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', BODY));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
