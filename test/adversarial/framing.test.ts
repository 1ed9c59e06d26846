import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adversary, AUTH_KEY, expectForwarded, expectGatewayError, type HealthSnapshot } from './harness';

/** CL/TE conflicts, request smuggling attempts and other framing tricks, on raw sockets. */
const AUTH = `Authorization: Bearer ${AUTH_KEY}\r\n`;
const POST = `POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n${AUTH}Content-Type: application/json\r\n`;
const CHUNKED_BODY = '2\r\n{}\r\n0\r\n\r\n';

/** Requests Node's parser refuses: 400 `bad_request` in the OpenAI shape, nothing forwarded. */
const MALFORMED: [string, string][] = [
  [
    'Content-Length with Transfer-Encoding',
    `${POST}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${CHUNKED_BODY}`,
  ],
  ['two different Content-Lengths', `${POST}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`],
  ['the same Content-Length twice', `${POST}Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}`],
  ['a Content-Length list', `${POST}Content-Length: 2, 2\r\n\r\n{}`],
  ['a Content-Length with letters', `${POST}Content-Length: 2abc\r\n\r\n{}`],
  ['a negative Content-Length', `${POST}Content-Length: -1\r\n\r\n{}`],
  ['a signed Content-Length', `${POST}Content-Length: +2\r\n\r\n{}`],
  ['a Content-Length past 2^64', `${POST}Content-Length: 99999999999999999999999\r\n\r\n{}`],
  ['an unknown transfer coding', `${POST}Transfer-Encoding: xchunked\r\n\r\n${CHUNKED_BODY}`],
  ['chunked not last', `${POST}Transfer-Encoding: chunked, identity\r\n\r\n${CHUNKED_BODY}`],
  [
    'Transfer-Encoding twice',
    `${POST}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n${CHUNKED_BODY}`,
  ],
  ['a space before the colon', `${POST}Transfer-Encoding : chunked\r\n\r\n${CHUNKED_BODY}`],
  ['an obsolete line fold', `${POST}Transfer-Encoding:\r\n chunked\r\n\r\n${CHUNKED_BODY}`],
  ['a chunk size that is not hex', `${POST}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
  [
    'a chunk size past 2^64',
    `${POST}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n`,
  ],
  ['bare LF line ends', POST.replaceAll('\r\n', '\n') + 'Content-Length: 2\n\n{}'],
  ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ['a lower-case method', 'get /health HTTP/1.1\r\nHost: gw\r\n\r\n'],
  ['an unknown method', `FOO /v1/models HTTP/1.1\r\nHost: gw\r\n${AUTH}\r\n`],
];

describe('framing tricks', () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  it.each(MALFORMED)('%s: 400 bad_request, nothing forwarded', async (_name, text) => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(text);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json');
    expectGatewayError(answer.body, 'bad_request');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('an HTTP/1.1 request without Host gets 400 bad_request in the OpenAI shape', async () => {
    const answer = await adv.raw('GET /health HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(400);
    expectGatewayError(answer.body, 'bad_request');
    const api = await adv.raw(`POST /v1/chat/completions HTTP/1.1\r\n${AUTH}Content-Length: 2\r\n\r\n{}`);
    expect(api.status).toBe(400);
    expectGatewayError(api.body, 'bad_request');
  });

  it.each([
    ['gzip, chunked', `${POST}Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n${CHUNKED_BODY}`],
    [
      'deflate, chunked',
      `${POST}Transfer-Encoding: deflate, chunked\r\nConnection: close\r\n\r\n${CHUNKED_BODY}`,
    ],
  ])(
    'a transfer coding besides chunked (%s) gets 501, nothing forwarded (RFC 9112 §6.1)',
    async (_name, text) => {
      const sent = adv.upstreamRequests();
      const answer = await adv.raw(text);
      expect(answer.status).toBe(501);
      expectGatewayError(answer.body, 'unsupported_transfer_encoding');
      expect(adv.upstreamRequests()).toBe(sent);
    },
  );

  it('CONNECT gets 405 method_not_allowed in the OpenAI shape: the gateway is no forward proxy', async () => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw('CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n');
    expect(answer.status).toBe(405);
    expectGatewayError(answer.body, 'method_not_allowed');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('a CONNECT with bytes after its head leaves no connection behind: the gateway still stops', async () => {
    const other = await Adversary.start();
    const answer = await other.raw(
      'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\nGET / HTTP/1.1\r\n',
    );
    expect(answer.status).toBe(405);
    const connections = await new Promise<number>((resolve, reject) =>
      other.gw.listener.server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
    );
    expect(connections).toBe(0);
    await other.stop();
  });

  it('an Expect other than 100-continue gets 417 expectation_failed in the OpenAI shape', async () => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(
      `${POST}Expect: something-else\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(answer.status).toBe(417);
    expectGatewayError(answer.body, 'expectation_failed');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('Expect: 100-continue gets its 100, then the request is forwarded without the header', async () => {
    const body = '{"model":"gpt-4o","messages":[]}';
    const answer = await adv.raw(
      `${POST}Expect: 100-continue\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      {
        body,
        awaitContinue: true,
      },
    );
    expect(answer.interim).toEqual([100]);
    expectForwarded(answer);
    expect(adv.lastSeen().headers.expect).toBeUndefined();
  });

  it('a pipelined second request is parsed as its own request, never smuggled into the first', async () => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(
      `${POST}Content-Length: 2\r\n\r\n{}GET /admin/config HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n`,
    );
    expect(answer.status).toBe(200);
    const statuses = [...answer.raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '401']);
    expect(adv.upstreamRequests()).toBe(sent + 1);
    const seen = adv.lastSeen();
    expect(seen.body.toString()).toBe('{}');
  });

  it('a body shorter than its Content-Length is cut at the body deadline, never forwarded', async () => {
    const sent = adv.upstreamRequests();
    const answer = await adv.raw(`${POST}Content-Length: 10\r\n\r\n{}`);
    expect(answer.status).toBe(408);
    expectGatewayError(answer.body, 'request_timeout', 'timeout_error');
    expect(adv.upstreamRequests()).toBe(sent);
  });

  it('chunk extensions and trailers are accepted and the body forwarded with a length of its own', async () => {
    const answer = await adv.raw(
      `${POST}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2;a=b;c="d"\r\n{}\r\n0\r\nX-Trailer: y\r\n\r\n`,
    );
    expectForwarded(answer);
    const seen = adv.lastSeen();
    expect(seen.body.toString()).toBe('{}');
    expect(seen.headers['transfer-encoding']).toBeUndefined();
    expect(seen.headers['x-trailer']).toBeUndefined();
  });

  it('the gateway still serves, no key or upstream changed state and no secret leaked', async () => {
    expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
    await adv.expectHealthUnchanged(before);
    await adv.expectNoSecrets();
  });
});
