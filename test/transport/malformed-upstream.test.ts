import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { TRANSPORTS, type TransportName } from './exchange';
import { type ScriptedServer, startScripted } from './scripted-server';

const GOOD_JSON = JSON.stringify({
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-x',
  choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }],
});
const GOOD = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${GOOD_JSON.length}\r\n\r\n${GOOD_JSON}`;

/** Broken answers, each after which the gateway must answer 502 and go on serving. */
const BROKEN: Record<string, string> = {
  'a garbage status line': 'HTTP/1.1 abc\r\n\r\n',
  'obsolete line folding':
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n folded: x\r\ncontent-length: 2\r\n\r\n{}',
  'conflicting lengths': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 4\r\n\r\n{}',
  'transfer-encoding with content-length':
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\ncontent-length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
  'a bad chunk size':
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nxyz\r\n',
  'a body cut short': 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{"id":',
  'a 101 upgrade': 'HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\nconnection: upgrade\r\n\r\n',
};

describe.each(Object.keys(TRANSPORTS) as TransportName[])(
  'a malformed upstream answer through the gateway: %s',
  (name) => {
    let server: ScriptedServer;
    let gw: TestGateway;
    let next = GOOD;

    beforeAll(async () => {
      server = await startScripted(async (_req, reply) => {
        const bytes = next;
        await reply.send(bytes, { byteByByte: false });
        if (bytes !== GOOD) reply.socket.end();
      });
      gw = await startTestGateway(
        {
          retry: { max_attempts: 1, backoff: 0 },
          upstreams: [{ name: 'broken', url: `${server.origin}/v1`, keys: ['sk-upstream-key-000000001'] }],
        },
        { env: { SWITCHYARD_TRANSPORT: name } },
      );
    });
    afterAll(async () => {
      await gw.stop(1000);
      await server.close();
    });

    const chat = () =>
      fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-x', messages: [{ role: 'user', content: 'hi' }] }),
      });

    for (const [what, bytes] of Object.entries(BROKEN)) {
      it(`answers 502 in the OpenAI error shape to ${what}, then serves the next request`, async () => {
        next = bytes;
        const bad = await chat();
        expect(bad.status).toBe(502);
        const body = (await bad.json()) as { error: { type: string; code: string } };
        expect(body.error.type).toBe('upstream_error');
        expect(['upstream_bad_response', 'upstream_unreachable']).toContain(body.error.code);
        next = GOOD;
        const good = await chat();
        expect(good.status).toBe(200);
        expect(
          ((await good.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
            .content,
        ).toBe('fine');
      });
    }
  },
);
