import { describe, expect, it } from 'vitest';
import { SseUsageReader } from './sse-reader';

function chunk(content: string, withUsageNull: boolean): string {
  const usage = withUsageNull ? ',"usage":null' : '';
  return `data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]${usage}}\n\n`;
}

const USAGE_EVENT =
  'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":4}}}\n\n';

/** What the upstream sends when asked for usage, and what it sends when not. */
function streams(): { withUsage: string; without: string } {
  const words = ['Hé', 'llo ', '🌍'];
  return {
    withUsage: words.map((w) => chunk(w, true)).join('') + USAGE_EVENT + 'data: [DONE]\n\n',
    without: words.map((w) => chunk(w, false)).join('') + 'data: [DONE]\n\n',
  };
}

function feedSplit(reader: SseUsageReader, bytes: Buffer, at: number[]): Buffer {
  const out: Uint8Array[] = [];
  let start = 0;
  for (const end of [...at, bytes.length]) {
    out.push(reader.feed(bytes.subarray(start, end)));
    start = end;
  }
  return Buffer.concat(out);
}

describe('reading usage from an SSE stream', () => {
  it('strips the usage the client did not ask for, byte for byte, however the chunks fall', () => {
    const { withUsage, without } = streams();
    const bytes = Buffer.from(withUsage);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const reader = new SseUsageReader(true);
      const seen = feedSplit(reader, bytes, [cut, Math.min(bytes.length, cut + 13)]);
      expect(seen.toString('utf8')).toBe(without);
      expect(reader.usage).toEqual({
        promptTokens: 9,
        completionTokens: 3,
        cachedTokens: 4,
        totalTokens: 12,
        estimated: false,
      });
    }
  });

  it('passes the stream through untouched when the client asked for usage itself', () => {
    const { withUsage } = streams();
    const reader = new SseUsageReader(false);
    const bytes = Buffer.from(withUsage);
    const first = bytes.subarray(0, 50);
    expect(reader.feed(first)).toBe(first);
    reader.feed(bytes.subarray(50));
    expect(reader.usage?.totalTokens).toBe(12);
    expect(reader.model).toBe('gpt-4o');
  });

  it('counts the text generated when no usage comes (an abandoned stream)', () => {
    const reader = new SseUsageReader(true);
    reader.feed(Buffer.from(chunk('one two three four', true) + chunk(' five', true)));
    expect(reader.usage).toBeUndefined();
    expect(reader.generatedTokens()).toBeGreaterThan(0);
  });

  it('merges usage reported in parts (Anthropic: input first, output last)', () => {
    const reader = new SseUsageReader(false);
    reader.feed(
      Buffer.from(
        'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":20,"output_tokens":1}}}\n\n' +
          'event: message_delta\ndata: {"type":"message_delta","delta":{},"usage":{"output_tokens":15}}\n\n',
      ),
    );
    expect(reader.usage).toMatchObject({ promptTokens: 20, completionTokens: 15, totalTokens: 35 });
  });

  it('reads the Responses API completion event', () => {
    const reader = new SseUsageReader(false);
    reader.feed(
      Buffer.from(
        'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hi"}\n\n' +
          'event: response.completed\ndata: {"type":"response.completed","response":{"usage":{"input_tokens":7,"output_tokens":2,"total_tokens":9,"input_tokens_details":{"cached_tokens":0}}}}\n\n',
      ),
    );
    expect(reader.usage).toMatchObject({ promptTokens: 7, completionTokens: 2, totalTokens: 9 });
  });

  it('keeps CRLF framing and comments as they are', () => {
    const reader = new SseUsageReader(true);
    const text = ': keep-alive\r\n\r\ndata: {"choices":[{"delta":{"content":"x"}}],"usage":null}\r\n\r\n';
    expect(new TextDecoder().decode(reader.feed(Buffer.from(text)))).toBe(
      ': keep-alive\r\n\r\ndata: {"choices":[{"delta":{"content":"x"}}]}\r\n\r\n',
    );
  });
});
