import { describe, expect, it } from 'vitest';
import { ANTHROPIC_CODEC } from '../../src/providers/anthropic/codec';
import type { Codec } from '../../src/providers/codec';
import { buildGenerateRequest } from '../../src/providers/gemini/build';
import { GEMINI_CODEC, generatePath } from '../../src/providers/gemini/codec';
import { idWithSignature, splitSignature } from '../../src/providers/gemini/ids';
import { parseGenerateRequest } from '../../src/providers/gemini/request';
import { decodeGeminiError, encodeGeminiError, geminiUsage } from '../../src/providers/gemini/response';
import type { IrRequest } from '../../src/providers/ir';
import { OPENAI_CHAT_CODEC } from '../../src/providers/openai/codec';
import { ResponseTranslator } from '../../src/providers/translate/translator';
import { GEMINI_MAX_TOKENS, GEMINI_PARALLEL_TOOLS, GEMINI_THINKING_TEXT } from '../helpers/gemini-streams';
import { validateGeminiStream } from '../helpers/gemini-validator';
import { ANTHROPIC_THINKING, ANTHROPIC_TOOL, OPENAI_TOOLS } from '../helpers/provider-streams';
import { validateAnthropicStream, validateOpenAiStream } from '../helpers/stream-validators';

const BASE: IrRequest = {
  model: 'm',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  tools: [],
  stop: [],
  stream: true,
  streamUsage: true,
};

function translate(upstream: Codec, client: Codec, parts: string[], size: number): string {
  const translator = new ResponseTranslator(upstream, client, { request: BASE, estimatedInput: 7 });
  translator.head({ 'content-type': 'text/event-stream' }, true);
  const bytes = new TextEncoder().encode(parts.join(''));
  const decoder = new TextDecoder();
  let out = '';
  for (let at = 0; at < bytes.length; at += size)
    out += decoder.decode(translator.chunk(bytes.subarray(at, at + size)));
  return (out + decoder.decode(translator.end())).replace(/"created":\d+/g, '"created":0');
}

describe('Gemini streams translate the same in any chunking', () => {
  it('Gemini chunks to Anthropic events and OpenAI chunks, byte by byte', () => {
    for (const fixture of [GEMINI_THINKING_TEXT, GEMINI_PARALLEL_TOOLS, GEMINI_MAX_TOKENS]) {
      const anthropic = translate(GEMINI_CODEC, ANTHROPIC_CODEC, fixture, 1 << 20);
      expect(translate(GEMINI_CODEC, ANTHROPIC_CODEC, fixture, 1)).toBe(anthropic);
      validateAnthropicStream(anthropic);
      const openai = translate(GEMINI_CODEC, OPENAI_CHAT_CODEC, fixture, 1 << 20);
      expect(translate(GEMINI_CODEC, OPENAI_CHAT_CODEC, fixture, 3)).toBe(openai);
      validateOpenAiStream(openai);
    }
  });

  it('OpenAI and Anthropic streams to Gemini chunks, byte by byte', () => {
    for (const [codec, fixture] of [
      [OPENAI_CHAT_CODEC, OPENAI_TOOLS],
      [ANTHROPIC_CODEC, ANTHROPIC_THINKING],
      [ANTHROPIC_CODEC, ANTHROPIC_TOOL],
    ] as const) {
      const whole = translate(codec, GEMINI_CODEC, fixture, 1 << 20);
      expect(translate(codec, GEMINI_CODEC, fixture, 1)).toBe(whole);
      validateGeminiStream(whole);
    }
  });

  it('gives the Anthropic tool call its input in one input_json_delta (never an empty tool_use)', () => {
    const out = translate(GEMINI_CODEC, ANTHROPIC_CODEC, GEMINI_PARALLEL_TOOLS, 1 << 20);
    const deltas = validateAnthropicStream(out)
      .filter((e) => e.delta?.type === 'input_json_delta')
      .map((e) => e.delta?.partial_json);
    expect(deltas).toEqual(['{"city":"Paris"}', '{"tz":"CET"}']);
  });
});

describe('the Gemini request codec', () => {
  it('reads snake_case and camelCase fields, thoughts, signatures, files and paired responses', () => {
    const ir = parseGenerateRequest({
      system_instruction: { parts: [{ text: 'Be kind.' }, { text: 'Be brief.' }] },
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'Two lookups' },
            { file_data: { mime_type: 'image/png', file_uri: 'https://x/a.png' } },
          ],
        },
        {
          role: 'model',
          parts: [
            { text: 'Plan', thought: true, thoughtSignature: 'c2lnMQ==' },
            { functionCall: { name: 'find', args: { q: 'a' } }, thoughtSignature: 'ab+/cd==' },
            { functionCall: { name: 'find', args: { q: 'b' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'find', response: { output: 'A' } } },
            { functionResponse: { name: 'find', response: { error: 'none found' } } },
          ],
        },
      ],
      tools: [
        {
          function_declarations: [{ name: 'find', parametersJsonSchema: { type: 'object', properties: {} } }],
        },
        { googleSearch: {} },
      ],
      tool_config: { function_calling_config: { mode: 'NONE' } },
      generation_config: {
        max_output_tokens: 64,
        stop_sequences: ['x'],
        response_mime_type: 'application/json',
        thinking_config: { thinking_level: 'high' },
      },
    });
    expect(ir).toEqual({
      model: '',
      system: ['Be kind.', 'Be brief.'],
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'Two lookups' },
            { type: 'image', mediaType: 'image/png', url: 'https://x/a.png' },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'thinking', text: 'Plan', signature: 'c2lnMQ==', origin: 'gemini' },
            { type: 'tool_call', id: 'call_1_1__thought__ab-_cd', name: 'find', args: '{"q":"a"}' },
            { type: 'tool_call', id: 'call_1_2', name: 'find', args: '{"q":"b"}' },
          ],
        },
        {
          role: 'user',
          parts: [
            {
              type: 'tool_result',
              id: 'call_1_1__thought__ab-_cd',
              content: [{ type: 'text', text: 'A' }],
              isError: false,
            },
            {
              type: 'tool_result',
              id: 'call_1_2',
              content: [{ type: 'text', text: 'none found' }],
              isError: true,
            },
          ],
        },
      ],
      tools: [{ name: 'find', description: undefined, schema: { type: 'object', properties: {} } }],
      toolChoice: { type: 'none' },
      maxTokens: 64,
      temperature: undefined,
      topP: undefined,
      stop: ['x'],
      stream: false,
      streamUsage: true,
      reasoning: { effort: 'high' },
      responseFormat: { type: 'json_object' },
    });
  });

  it('reads thinking: a budget, a level, and dynamic or includeThoughts alone as the target’s default', () => {
    const reasoning = (thinkingConfig: object) =>
      parseGenerateRequest({ contents: [], generationConfig: { thinkingConfig } }).reasoning;
    expect(reasoning({ thinkingBudget: 2048, includeThoughts: true })).toEqual({
      budget: 2048,
      effort: 'medium',
    });
    expect(reasoning({ thinkingLevel: 'LOW' })).toEqual({ effort: 'low' });
    expect(reasoning({ thinkingBudget: -1, includeThoughts: true })).toBeUndefined();
    expect(reasoning({ includeThoughts: true })).toBeUndefined();
    expect(reasoning({ thinkingBudget: 0 })).toBeUndefined();
  });

  it('builds a Gemini request: roles merged, foreign thinking dropped, structured output, names for responses', () => {
    const body = buildGenerateRequest({
      ...BASE,
      system: ['S'],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'a' }] },
        { role: 'user', parts: [{ type: 'text', text: 'b' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'thinking', text: 'x', signature: 'anthropic-sig', origin: 'anthropic' },
            { type: 'thinking', text: 'y', signature: 'Z2Vt', origin: 'gemini' },
            { type: 'tool_call', id: 'toolu_1', name: 'f', args: '' },
          ],
        },
        {
          role: 'user',
          parts: [
            {
              type: 'tool_result',
              id: 'toolu_1',
              content: [
                { type: 'text', text: 'done' },
                { type: 'image', mediaType: 'image/jpeg', data: '/9j/' },
              ],
              isError: false,
            },
          ],
        },
      ],
      tools: [{ name: 'f', schema: { type: 'object', properties: {}, additionalProperties: false } }],
      toolChoice: { type: 'none' },
      responseFormat: {
        type: 'json_schema',
        name: 'response',
        schema: {
          type: 'object',
          properties: { n: { type: 'integer', const: 3 } },
          additionalProperties: false,
        },
      },
    });
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'S' }] },
      contents: [
        { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
        {
          role: 'model',
          parts: [
            { text: 'y', thought: true, thoughtSignature: 'Z2Vt' },
            { functionCall: { id: 'toolu_1', name: 'f', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'toolu_1', name: 'f', response: { output: 'done' } } },
            { inlineData: { mimeType: 'image/jpeg', data: '/9j/' } },
          ],
        },
      ],
      tools: [{ functionDeclarations: [{ name: 'f' }] }],
      toolConfig: { functionCallingConfig: { mode: 'NONE' } },
      generationConfig: {
        responseMimeType: 'application/json',
        responseSchema: { type: 'object', properties: { n: { type: 'integer' } } },
      },
    });
    expect(generatePath('gemini-2.5-pro', true)).toBe(
      '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    );
    expect(generatePath('models/gemini-2.5-pro', false)).toBe(
      '/v1beta/models/gemini-2.5-pro:generateContent',
    );
  });

  it('folds a signature into a call id and takes it back out unchanged', () => {
    const signature = 'CiQBjz1r+/abcd==';
    const id = idWithSignature('call_1', signature);
    expect(id).toBe('call_1__thought__CiQBjz1r-_abcd');
    expect(/^[A-Za-z0-9_-]+$/.test(id)).toBe(true);
    expect(splitSignature(id)).toEqual({ id: 'call_1', signature });
    expect(splitSignature('toolu_01')).toEqual({ id: 'toolu_01' });
  });
});

describe('Gemini usage and errors', () => {
  it('normalises usageMetadata: cached out of the prompt, thoughts into the output', () => {
    expect(
      geminiUsage({
        promptTokenCount: 100,
        cachedContentTokenCount: 60,
        toolUsePromptTokenCount: 5,
        candidatesTokenCount: 7,
        thoughtsTokenCount: 13,
      }),
    ).toEqual({ inputUncached: 45, cacheRead: 60, cacheWrite: 0, output: 20, reasoning: 13 });
  });

  it('reads errors by status name (also wrapped in an array) and writes code, message and status', () => {
    expect(
      decodeGeminiError(400, { error: { code: 400, message: 'bad', status: 'FAILED_PRECONDITION' } }),
    ).toEqual({
      kind: 'invalid_request',
      message: 'bad',
    });
    expect(
      decodeGeminiError(503, [{ error: { code: 503, message: 'busy', status: 'UNAVAILABLE' } }]),
    ).toEqual({
      kind: 'overloaded',
      message: 'busy',
    });
    expect(decodeGeminiError(502, 'not json')).toEqual({
      kind: 'server',
      message: 'upstream answered HTTP 502',
    });
    expect(encodeGeminiError({ kind: 'rate_limit', message: 'slow down' })).toEqual({
      error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' },
    });
    expect(encodeGeminiError({ kind: 'authentication', message: 'who' })).toEqual({
      error: { code: 401, message: 'who', status: 'UNAUTHENTICATED' },
    });
  });
});

describe('the strict Gemini stream validator', () => {
  const event = (value: object) => `data: ${JSON.stringify(value)}\n\n`;
  const chunk = (parts: object[], extra: object = {}) =>
    event({ candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }], responseId: 'r' });
  const usage = { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 };
  const last = event({
    candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: usage,
    responseId: 'r',
  });

  it('accepts a valid stream and refuses what a strict client would', () => {
    expect(validateGeminiStream(chunk([{ text: 'a' }]) + last)).toHaveLength(2);
    expect(() => validateGeminiStream(`${chunk([{ text: 'a' }]) + last}data: [DONE]\n\n`)).toThrow('[DONE]');
    expect(() => validateGeminiStream(`event: x\n${chunk([{ text: 'a' }])}${last}`)).toThrow('event name');
    expect(() => validateGeminiStream(chunk([{ text: '' }]) + last)).toThrow('empty text');
    expect(() => validateGeminiStream(chunk([{ text: 'a' }], { finishReason: 'STOP' }) + last)).toThrow(
      'finishReason before',
    );
    expect(() => validateGeminiStream(chunk([{ functionCall: { name: 'f', args: '{}' } }]) + last)).toThrow(
      'args is not an object',
    );
    expect(() => validateGeminiStream(chunk([{ text: 'a' }]))).toThrow('no finishReason');
    const wrongTotal = last.replace('"totalTokenCount":4', '"totalTokenCount":5');
    expect(() => validateGeminiStream(chunk([{ text: 'a' }]) + wrongTotal)).toThrow('does not add up');
    expect(() => validateGeminiStream(chunk([{ text: 'a' }]) + last, { endsWithError: true })).toThrow(
      'not a Gemini error',
    );
  });
});
