import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway';
import { startMock, startSse } from '../helpers/mock-upstream';

const CHUNK =
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}],"usage":null}\n\n';
const USAGE =
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n';

describe('the end of a stream whose usage event is removed', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('still delivers a last event that has no blank line after it', async () => {
    const mock = await startMock((_req, res) => {
      startSse(res);
      res.end(`${CHUNK}${USAGE}data: [DONE]\n`);
    });
    const gw = await startTestGateway({
      upstreams: [{ name: 'm', url: mock.url, keys: ['sk-tail-key-00000001'] }],
    });
    cleanup.push(mock.close, () => gw.stop(1000));
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    const text = await response.text();
    expect(mock.requests[0]!.json().stream_options).toEqual({ include_usage: true });
    expect(text).not.toContain('"prompt_tokens"');
    expect(text.endsWith('data: [DONE]\n')).toBe(true);
  });
});
