/**
 * The matrix, Gemini side: the `@google/genai` SDK against every upstream format, every scenario,
 * held and streamed (`alt=sse`). Each stream the SDK read is checked by the strict Gemini validator.
 */
import {
  ApiError,
  FunctionCallingConfigMode,
  type GenerateContentParameters,
  type GenerateContentResponse,
  GoogleGenAI,
  type Part,
} from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGeminiStream } from '../../helpers/gemini-validator';
import { GEMINI_SIGNATURE } from './fixtures/gemini';
import { GATEWAY_KEY, type Matrix, recorder, startMatrix } from './harness';
import {
  ANSWER,
  ANSWERED,
  ERROR_MESSAGE,
  HISTORY,
  IMAGE_ANSWER,
  LIMITED,
  marker,
  modelFor,
  OVERLOADED,
  PIXEL,
  PREFACE,
  PROMPT,
  RESULTS,
  type Scenario,
  THOUGHT,
  THOUGHT_ANSWER,
  TIME,
  TOOL_OUTPUT,
  TOOL_SCHEMAS,
  UPSTREAMS,
  type UpstreamFormat,
  USAGE,
  WEATHER,
} from './scenarios';
import {
  expectSignatureOnlyToItsFamily,
  expectToolRoundTrip,
  expectUpstreamRequest,
} from './upstream-checks';

interface Result {
  text: string;
  thought: string;
  /** The thought parts' signatures: Gemini's own come back; no other family's is passed off as one. */
  signatures: string[];
  calls: { name: string; args: unknown }[];
  finish: string | undefined;
  usage: unknown;
}

const USAGE_OUT = {
  promptTokenCount: PROMPT,
  cachedContentTokenCount: USAGE.cached,
  output: USAGE.output,
  totalTokenCount: PROMPT + USAGE.output,
};

const calls = (...tools: { name: string; args: unknown }[]) =>
  tools.map((t) => ({ name: t.name, args: t.args }));

function expected(format: UpstreamFormat, scenario: Scenario): Omit<Result, 'usage'> {
  const base = { text: '', thought: '', signatures: [], calls: [], finish: 'STOP' };
  switch (scenario) {
    case 'tool':
      return { ...base, text: PREFACE, calls: calls(WEATHER) };
    case 'limit':
      return { ...base, text: LIMITED, finish: 'MAX_TOKENS' };
    case 'parallel':
      return { ...base, calls: calls(WEATHER, TIME) };
    case 'thinking':
      return {
        ...base,
        text: THOUGHT_ANSWER,
        thought: THOUGHT,
        signatures: format === 'gemini' ? [GEMINI_SIGNATURE] : [],
      };
    case 'image':
      return { ...base, text: IMAGE_ANSWER };
    default:
      return { ...base, text: ANSWER };
  }
}

function request(format: UpstreamFormat, scenario: Scenario): GenerateContentParameters {
  const parts: Part[] = [{ text: `${marker(scenario)} Please answer.` }];
  if (scenario === 'image') parts.push({ inlineData: { mimeType: 'image/png', data: PIXEL } });
  return {
    model: modelFor(format),
    contents: [{ role: 'user', parts }],
    config: {
      systemInstruction: 'You are terse.',
      maxOutputTokens: 2000,
      ...(scenario === 'tool' || scenario === 'parallel'
        ? {
            tools: [
              {
                functionDeclarations: TOOL_SCHEMAS.map((t) => ({
                  name: t.name,
                  description: t.description,
                  parametersJsonSchema: t.parameters,
                })),
              },
            ],
          }
        : {}),
      ...(scenario === 'tool'
        ? {
            toolConfig: {
              functionCallingConfig: {
                mode: FunctionCallingConfigMode.ANY,
                allowedFunctionNames: [WEATHER.name],
              },
            },
          }
        : {}),
      ...(scenario === 'thinking' ? { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } } : {}),
    },
  };
}

/** Adds one response's parts, finish reason and usage (cumulative: the last wins) to `into`. */
function collect(into: Result, response: GenerateContentResponse): Result {
  const candidate = response.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) {
    if (part.functionCall)
      into.calls.push({ name: part.functionCall.name ?? '', args: part.functionCall.args });
    else if (part.thought) {
      into.thought += part.text ?? '';
      if (part.thoughtSignature) into.signatures.push(part.thoughtSignature);
    } else into.text += part.text ?? '';
  }
  if (candidate?.finishReason) into.finish = candidate.finishReason;
  const u = response.usageMetadata;
  if (u)
    into.usage = {
      promptTokenCount: u.promptTokenCount,
      cachedContentTokenCount: u.cachedContentTokenCount,
      output: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0),
      totalTokenCount: u.totalTokenCount,
    };
  return into;
}

/** An in-band upstream error as Gemini's: an overload is UNAVAILABLE; OpenAI's `server_error` INTERNAL. */
const IN_BAND_ERROR: Record<UpstreamFormat, { code: number; status: string }> = {
  openai: { code: 500, status: 'INTERNAL' },
  'openai-chat': { code: 500, status: 'INTERNAL' },
  anthropic: { code: 503, status: 'UNAVAILABLE' },
  gemini: { code: 503, status: 'UNAVAILABLE' },
};

const empty = (): Result => ({
  text: '',
  thought: '',
  signatures: [],
  calls: [],
  finish: undefined,
  usage: undefined,
});

describe('the matrix: Gemini client (@google/genai) × every upstream format', () => {
  let matrix: Matrix;
  const record = recorder();
  let ai: GoogleGenAI;

  beforeAll(async () => {
    matrix = await startMatrix();
    ai = new GoogleGenAI({
      apiKey: GATEWAY_KEY,
      httpOptions: { baseUrl: matrix.gateway.url, fetch: record.fetch, retryOptions: { attempts: 1 } },
    });
  });
  afterAll(() => matrix.stop());

  async function run(body: GenerateContentParameters, stream: boolean, into = empty()): Promise<Result> {
    if (!stream) return collect(into, await ai.models.generateContent(body));
    for await (const chunk of await ai.models.generateContentStream(body)) collect(into, chunk);
    return into;
  }

  describe.each(UPSTREAMS)('upstream format %s', (format) => {
    describe.each([false, true])('stream %s', (stream) => {
      for (const scenario of ANSWERED) {
        it(scenario, async () => {
          const result = await run(request(format, scenario), stream);
          expect(result).toEqual({ ...expected(format, scenario), usage: USAGE_OUT });
          if (stream) validateGeminiStream(await record.last());
          expectUpstreamRequest(format, 'gemini', matrix.seen(format), scenario, stream);
        });
      }

      it('error: the upstream’s 400 as the SDK’s ApiError in Gemini’s shape', async () => {
        const error = await run(request(format, 'error'), stream).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).status).toBe(400);
        expect((error as ApiError).message).toContain(ERROR_MESSAGE);
        expect((error as ApiError).message).toContain('INVALID_ARGUMENT');
      });
    });

    it('history: a thought signature goes back to Gemini and to no other family', async () => {
      const signed = { text: THOUGHT, thought: true, thoughtSignature: GEMINI_SIGNATURE };
      const result = await run(
        {
          model: modelFor(format),
          contents: [
            { role: 'user', parts: [{ text: 'First question.' }] },
            { role: 'model', parts: [signed, { text: THOUGHT_ANSWER }] },
            { role: 'user', parts: [{ text: `${marker(HISTORY)} And then?` }] },
          ],
          config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
        },
        false,
      );
      expect(result.text).toBe(ANSWER);
      expectSignatureOnlyToItsFamily(
        format,
        'gemini',
        matrix.seen(format),
        'gemini',
        GEMINI_SIGNATURE,
        signed,
      );
    });

    it('results: a function call and its response reach the upstream paired', async () => {
      const result = await run(
        {
          model: modelFor(format),
          contents: [
            { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
            { role: 'model', parts: [{ functionCall: { name: WEATHER.name, args: { ...WEATHER.args } } }] },
            {
              role: 'user',
              parts: [
                { functionResponse: { name: WEATHER.name, response: { output: TOOL_OUTPUT } } },
                { text: `${marker(RESULTS)} Summarise.` },
              ],
            },
          ],
          config: request(format, 'tool').config,
        },
        false,
      );
      expect(result.text).toBe(ANSWER);
      expectToolRoundTrip(format, 'gemini', matrix.seen(format));
    });

    it('cut, held: an answer the upstream drops is a 502 in Gemini’s shape', async () => {
      const error = await run(request(format, 'cut'), false).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(502);
      expect((error as ApiError).message).toContain('INTERNAL');
    });

    it('cut: a stream the upstream drops ends with Gemini’s error event, the SDK throws', async () => {
      const partial = empty();
      const error = await run(request(format, 'cut'), true, partial).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(500);
      expect(partial.text).toBe('Hello from');
      validateGeminiStream(await record.last(), { endsWithError: true });
    });

    it('fail: an upstream error reported in-band mid-stream ends with Gemini’s error event of its status', async () => {
      const partial = empty();
      const error = await run(request(format, 'fail'), true, partial).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiError);
      expect(partial.text).toBe('Hello from');
      const text = await record.last();
      validateGeminiStream(text, { endsWithError: true });
      const last = JSON.parse(text.trim().split('\n').at(-1)!.slice('data: '.length));
      expect(last).toEqual({
        error: { ...IN_BAND_ERROR[format], message: expect.stringContaining(OVERLOADED) },
      });
      expect((error as ApiError).status).toBe(IN_BAND_ERROR[format].code);
    });
  });
});
