import { describe, expect, it } from 'vitest';
import { ANTHROPIC_CODEC } from '../../src/providers/anthropic/codec';
import type { IrEvent } from '../../src/providers/ir';
import { RESPONSES_CODEC } from '../../src/providers/responses/codec';
import { ResponseTranslator } from '../../src/providers/translate/translator';
import { ANTHROPIC_THINKING, ANTHROPIC_TOOL } from '../helpers/provider-streams';
import { RESPONSES_TEXT } from '../helpers/responses-streams';
import { validateResponsesStream } from '../helpers/responses-validator';
import { validateAnthropicStream } from '../helpers/stream-validators';

const bytes = (text: string) => new TextEncoder().encode(text);
const textOf = (data: Uint8Array) => new TextDecoder().decode(data);

/** A whole upstream stream through a translator, as the gateway runs it. */
function translate(
  from: typeof RESPONSES_CODEC,
  to: typeof RESPONSES_CODEC,
  parts: readonly string[],
): string {
  const request = to.parseRequest({ model: 'm', input: 'hi', stream: true, messages: [] });
  const translator = new ResponseTranslator(from, to, { request, estimatedInput: 7 });
  translator.head({}, true);
  let out = '';
  for (const part of parts) out += textOf(translator.chunk(bytes(part)));
  return out + textOf(translator.end());
}

function irEvents(codec: typeof RESPONSES_CODEC, text: string): IrEvent[] {
  const decoder = codec.decoder();
  const events: IrEvent[] = [];
  for (const block of text.split('\n\n')) {
    const data = block.split('\n').find((line) => line.startsWith('data: '));
    if (data) events.push(...decoder.decode({ event: undefined, data: data.slice(6) }));
  }
  return [...events, ...decoder.end()];
}

describe('the Responses codec', () => {
  it('builds a stateless Responses request from the IR, with OpenAI reasoning only', () => {
    const ir = RESPONSES_CODEC.parseRequest({
      model: 'gpt-5',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'weather?' }] },
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'call it' }],
          encrypted_content: 'gAAAAB',
        },
        { type: 'reasoning', summary: [], encrypted_content: 'anthropic.thinking:sig' },
        { type: 'function_call', call_id: 'c1', name: 'w', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
      ],
      tools: [{ type: 'function', name: 'w', parameters: { type: 'object' } }],
      reasoning: { effort: 'high' },
      text: { format: { type: 'json_object' } },
      max_output_tokens: 99,
      store: true,
    });
    expect(RESPONSES_CODEC.buildRequest(ir)).toEqual({
      model: 'gpt-5',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'weather?' }] },
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'call it' }],
          encrypted_content: 'gAAAAB',
        },
        { type: 'function_call', call_id: 'c1', name: 'w', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
      ],
      tools: [{ type: 'function', name: 'w', parameters: { type: 'object' }, strict: false }],
      max_output_tokens: 99,
      reasoning: { effort: 'high' },
      include: ['reasoning.encrypted_content'],
      text: { format: { type: 'json_object' } },
      store: false,
    });
  });

  it('gives a Responses upstream custom tools and their calls back as custom items', () => {
    const body = {
      model: 'gpt-5',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'fix it' }] },
        { type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '*** Begin Patch' },
        { type: 'custom_tool_call_output', call_id: 'c1', output: 'ok' },
      ],
      tools: [{ type: 'custom', name: 'apply_patch', description: 'Edit files.' }],
      tool_choice: { type: 'custom', name: 'apply_patch' },
      store: false,
    };
    const ir = RESPONSES_CODEC.parseRequest(body);
    expect(ir.messages[1]!.parts).toEqual([
      { type: 'tool_call', id: 'c1', name: 'apply_patch', args: '{"input":"*** Begin Patch"}' },
    ]);
    expect(RESPONSES_CODEC.buildRequest(ir)).toEqual(body);
  });

  it('reads a held Responses answer: reasoning, text, calls, an incomplete status and usage', () => {
    const ir = RESPONSES_CODEC.decodeResponse({
      id: 'resp_1',
      model: 'gpt-5',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [
        {
          type: 'reasoning',
          id: 'rs_1',
          summary: [{ type: 'summary_text', text: 'hm' }],
          encrypted_content: 'gAAA',
        },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'w', arguments: '{"a":1}' },
      ],
      usage: {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 60 },
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 20 },
      },
    });
    expect(ir).toEqual({
      id: 'resp_1',
      model: 'gpt-5',
      parts: [
        { type: 'thinking', text: 'hm', signature: 'gAAA', origin: 'openai' },
        { type: 'text', text: 'Hi' },
        { type: 'tool_call', id: 'call_1', name: 'w', args: '{"a":1}' },
      ],
      stop: 'max_tokens',
      usage: { inputUncached: 40, cacheRead: 60, cacheWrite: 0, output: 30, reasoning: 20 },
    });
  });

  it('decodes a Responses stream into a valid Anthropic stream', () => {
    const events = validateAnthropicStream(translate(RESPONSES_CODEC, ANTHROPIC_CODEC, RESPONSES_TEXT));
    expect(events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta?.text)).toEqual([
      'Hi',
      ' there',
    ]);
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 11 } });
  });

  it('decodes what it encodes: thinking, text and a tool call survive the way there and back', () => {
    for (const stream of [ANTHROPIC_THINKING, ANTHROPIC_TOOL]) {
      const direct = irEvents(ANTHROPIC_CODEC, stream.join(''));
      const responses = translate(ANTHROPIC_CODEC, RESPONSES_CODEC, stream);
      validateResponsesStream(responses);
      const back = irEvents(RESPONSES_CODEC, responses);
      const content = (events: IrEvent[]) =>
        events.flatMap((e) =>
          e.type === 'text' || e.type === 'thinking'
            ? [`${e.type}:${e.text}`]
            : e.type === 'args'
              ? [`args:${e.json}`]
              : [],
        );
      expect(content(back)).toEqual(content(direct));
      expect(back.at(-1)).toEqual(direct.find((e) => e.type === 'finish'));
    }
  });
});

describe('the Responses stream validator', () => {
  const valid = RESPONSES_TEXT.join('');
  const renumber = (parts: string[]) =>
    parts.map((part, at) => part.replace(/"sequence_number":\d+/, `"sequence_number":${at}`)).join('');

  it('accepts a stream as OpenAI sends it', () => {
    expect(validateResponsesStream(valid)).toHaveLength(RESPONSES_TEXT.length);
  });

  it('rejects a delta before its item or part was added', () => {
    expect(() => validateResponsesStream(renumber(RESPONSES_TEXT.filter((_, at) => at !== 2)))).toThrow(
      'without an open item',
    );
    expect(() => validateResponsesStream(renumber(RESPONSES_TEXT.filter((_, at) => at !== 3)))).toThrow(
      'which is not open',
    );
  });

  it('rejects gaps in sequence_number, a missing response.completed and unknown events', () => {
    expect(() => validateResponsesStream(RESPONSES_TEXT.filter((_, at) => at !== 4).join(''))).toThrow(
      'sequence_number 5, expected 4',
    );
    expect(() => validateResponsesStream(RESPONSES_TEXT.slice(0, -1).join(''))).toThrow('no terminal event');
    const codex = valid.replace(/response\.output_text\.done/g, 'codex.output_text.done');
    expect(() => validateResponsesStream(codex)).toThrow('unknown event type');
  });

  it('rejects a final response whose output differs from the items streamed', () => {
    const last = RESPONSES_TEXT.at(-1)!.replace('"text":"Hi there"', '"text":"Hi"');
    expect(() => validateResponsesStream([...RESPONSES_TEXT.slice(0, -1), last].join(''))).toThrow(
      'output differs',
    );
  });
});
