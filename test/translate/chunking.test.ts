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

describe('OpenAI tool-call streams as servers really send them', () => {
  const frame = (calls: object[], finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { tool_calls: calls }, finish_reason: finish }] })}\n\n`;

  function toolUses(parts: string[]): { id: string; name: string; input: string }[] {
    const events = validateAnthropicStream(translate(OPENAI_CHAT_CODEC, ANTHROPIC_CODEC, parts, 1 << 20));
    const out: { id: string; name: string; input: string }[] = [];
    for (const event of events) {
      const block = event.content_block;
      if (event.type === 'content_block_start' && block?.type === 'tool_use')
        out.push({ id: String(block.id), name: String(block.name), input: '' });
      if (event.delta?.type === 'input_json_delta') out[out.length - 1]!.input += event.delta.partial_json;
    }
    return out;
  }

  it('tells parallel calls apart by id when every call comes at index 0', () => {
    const parts = [
      frame([{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }]),
      frame([{ index: 0, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{"y":' } }]),
      frame([{ index: 0, function: { arguments: '2}' } }], 'tool_calls'),
      'data: [DONE]\n\n',
    ];
    expect(toolUses(parts)).toEqual([
      { id: 'call_a', name: 'f', input: '{"x":1}' },
      { id: 'call_b', name: 'g', input: '{"y":2}' },
    ]);
  });

  it('keeps a call that comes without an id, and one that repeats its name on every fragment', () => {
    const parts = [
      frame([{ index: 0, function: { name: 'f', arguments: '{"x"' } }]),
      frame([{ index: 0, function: { name: 'f', arguments: ':1}' } }], 'tool_calls'),
      'data: [DONE]\n\n',
    ];
    expect(toolUses(parts)).toEqual([{ id: 'call_0', name: 'f', input: '{"x":1}' }]);
  });
});
