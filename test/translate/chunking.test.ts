import { describe, expect, it } from 'vitest';
import { ANTHROPIC_CODEC } from '../../src/providers/anthropic/codec';
import type { Codec } from '../../src/providers/codec';
import { OPENAI_CHAT_CODEC } from '../../src/providers/openai/codec';
import { ResponseTranslator } from '../../src/providers/translate/translator';
import {
  ANTHROPIC_THINKING,
  ANTHROPIC_TOOL,
  OPENAI_REASONING,
  OPENAI_TOOLS,
} from '../helpers/provider-streams';
import { validateAnthropicStream, validateOpenAiStream } from '../helpers/stream-validators';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Runs a recorded upstream stream through a translator in pieces of `size` bytes. */
function translate(
  upstream: Codec,
  client: Codec,
  parts: string[],
  size: number,
  streamUsage = true,
): string {
  const request = client.parseRequest({
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    stream_options: { include_usage: streamUsage },
  });
  const translator = new ResponseTranslator(upstream, client, { request, estimatedInput: 7 });
  translator.head({ 'content-type': 'text/event-stream' }, true);
  const bytes = encoder.encode(parts.join('').replaceAll('\n', '\r\n'));
  let out = '';
  for (let at = 0; at < bytes.length; at += size)
    out += decoder.decode(translator.chunk(bytes.subarray(at, at + size)));
  // OpenAI chunks carry the second they were made: equal streams may differ there only.
  return (out + decoder.decode(translator.end())).replace(/"created":\d+/g, '"created":0');
}

describe('translated streams do not depend on how the upstream chunks its bytes', () => {
  it('OpenAI chunks to Anthropic events, byte by byte and with CRLF line ends', () => {
    for (const fixture of [OPENAI_TOOLS, OPENAI_REASONING]) {
      const whole = translate(OPENAI_CHAT_CODEC, ANTHROPIC_CODEC, fixture, 1 << 20);
      expect(translate(OPENAI_CHAT_CODEC, ANTHROPIC_CODEC, fixture, 1)).toBe(whole);
      expect(translate(OPENAI_CHAT_CODEC, ANTHROPIC_CODEC, fixture, 7)).toBe(whole);
      validateAnthropicStream(whole);
    }
  });

  it('Anthropic events to OpenAI chunks, byte by byte', () => {
    for (const fixture of [ANTHROPIC_THINKING, ANTHROPIC_TOOL]) {
      const whole = translate(ANTHROPIC_CODEC, OPENAI_CHAT_CODEC, fixture, 1 << 20);
      expect(translate(ANTHROPIC_CODEC, OPENAI_CHAT_CODEC, fixture, 1)).toBe(whole);
      validateOpenAiStream(whole);
    }
  });

  it('keeps the Anthropic signature as a signature_delta in its thinking block when both sides are Anthropic-shaped', () => {
    const out = translate(ANTHROPIC_CODEC, ANTHROPIC_CODEC, ANTHROPIC_THINKING, 5);
    const events = validateAnthropicStream(out);
    const signature = events.find((e) => e.delta?.type === 'signature_delta');
    expect(signature).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
    });
    expect(events[0]!.message?.usage).toEqual({
      input_tokens: 25,
      cache_creation_input_tokens: 5,
      cache_read_input_tokens: 10,
      output_tokens: 1,
    });
  });
});
