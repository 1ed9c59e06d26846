import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway';
import { signal, startMock } from '../helpers/mock-upstream';

describe('JSON-typed streams', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it.each([
    ['application/x-ndjson', false],
    ['application/json', true],
  ])('pipes %s line by line when it streams (stream requested: %s)', async (contentType, askStream) => {
    // Lockstep: the next line is written only once the client has read the previous one.
    const read = [signal(), signal(), signal()];
    const mock = await startMock(async (_req, res) => {
      res.writeHead(200, { 'content-type': contentType });
      for (let i = 0; i < read.length; i++) {
        res.write(`${JSON.stringify({ i })}\n`);
        await read[i]!.promise;
      }
      res.end();
    });
    const gw = await startTestGateway({ upstreams: [{ name: 'm', url: mock.url, provider: 'none' }] });
    cleanup.push(mock.close, () => gw.stop(1000));
    const response = await fetch(`${gw.url}/v1/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: askStream }),
    });
    const reader = response.body!.getReader();
    const lines: string[] = [];
    let text = '';
    while (lines.length < read.length) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
      while (text.includes('\n')) {
        const at = text.indexOf('\n');
        lines.push(text.slice(0, at));
        text = text.slice(at + 1);
        read[lines.length - 1]!.fire();
      }
    }
    expect(lines).toEqual(['{"i":0}', '{"i":1}', '{"i":2}']);
  });
});
