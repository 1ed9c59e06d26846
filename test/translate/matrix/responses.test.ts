/**
 * The matrix, OpenAI Responses side: the `openai` SDK's Responses API against every upstream
 * format, every scenario, held and streamed (through the SDK's own accumulator). Each translated
 * stream the SDK read is checked by the strict Responses validator; a `format: openai` upstream
 * serves Responses itself and its stream passes through.
 */
import OpenAI, { APIError } from 'openai';
import type { ResponseCreateParamsBase } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResponsesStream } from '../../helpers/responses-validator';
import { sseFrames } from '../../helpers/stream-validators';
import { ANTHROPIC_SIGNATURE } from './fixtures/anthropic';
import { RESPONSES_ENCRYPTED } from './fixtures/responses';
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
  expectGeminiCallsSigned,
  expectSignatureOnlyToItsFamily,
  expectToolRoundTrip,
  expectUpstreamRequest,
} from './upstream-checks';

const USAGE_OUT = {
  input_tokens: PROMPT,
  cached: USAGE.cached,
  output_tokens: USAGE.output,
  total_tokens: PROMPT + USAGE.output,
};
const message = (text: string) => ({ type: 'message', text });
const call = (tool: { name: string; args: unknown }) => ({
  type: 'function_call',
  name: tool.name,
  args: tool.args,
});

/**
 * The reasoning item's `encrypted_content`: OpenAI's own, or an Anthropic signature marked with
 * its family so it goes back only to Anthropic; nothing from a family whose signature has no
 * place in a Responses item (a DeepSeek-style server has none; Gemini's stays with Gemini).
 */
const ENCRYPTED: Record<UpstreamFormat, string | undefined> = {
  openai: RESPONSES_ENCRYPTED,
  'openai-chat': undefined,
  anthropic: `anthropic.thinking:${ANTHROPIC_SIGNATURE}`,
  gemini: undefined,
};

function expectedOutput(format: UpstreamFormat, scenario: Scenario): unknown[] {
  switch (scenario) {
    case 'tool':
      return [message(PREFACE), call(WEATHER)];
    case 'limit':
      return [message(LIMITED)];
    case 'parallel':
      return [call(WEATHER), call(TIME)];
    case 'thinking':
      return [{ type: 'reasoning', summary: THOUGHT, encrypted: ENCRYPTED[format] }, message(THOUGHT_ANSWER)];
    case 'image':
      return [message(IMAGE_ANSWER)];
    default:
      return [message(ANSWER)];
  }
}

function request(format: UpstreamFormat, scenario: Scenario): ResponseCreateParamsBase {
  const content: OpenAI.Responses.ResponseInputContent[] = [
    { type: 'input_text', text: `${marker(scenario)} Please answer.` },
  ];
  if (scenario === 'image')
    content.push({ type: 'input_image', image_url: `data:image/png;base64,${PIXEL}`, detail: 'auto' });
  return {
    model: modelFor(format),
    instructions: 'You are terse.',
    max_output_tokens: 2000,
    store: false,
    input: [{ role: 'user', content }],
    ...(scenario === 'tool' || scenario === 'parallel'
      ? { tools: TOOL_SCHEMAS.map((t) => ({ type: 'function' as const, strict: false, ...t })) }
      : {}),
    ...(scenario === 'tool' ? { tool_choice: { type: 'function' as const, name: WEATHER.name } } : {}),
    ...(scenario === 'thinking'
      ? {
          reasoning: { effort: 'low' as const, summary: 'auto' as const },
          include: ['reasoning.encrypted_content' as const],
        }
      : {}),
  };
}

/** The parts of a response a test compares (ids are the gateway's or the provider's). */
function shape(response: OpenAI.Responses.Response) {
  return {
    status: response.status,
    incomplete: response.incomplete_details,
    output: response.output.map((item) => {
      if (item.type === 'message')
        return message(item.content.map((c) => (c.type === 'output_text' ? c.text : '')).join(''));
      if (item.type === 'function_call') return call({ name: item.name, args: JSON.parse(item.arguments) });
      if (item.type === 'reasoning')
        return {
          type: item.type,
          summary: item.summary.map((s) => s.text).join(''),
          encrypted: item.encrypted_content ?? undefined,
        };
      return { type: item.type };
    }),
    output_text: response.output_text,
    usage: response.usage && {
      input_tokens: response.usage.input_tokens,
      cached: response.usage.input_tokens_details.cached_tokens,
      output_tokens: response.usage.output_tokens,
      total_tokens: response.usage.total_tokens,
    },
  };
}

const textOf = (output: unknown[]) =>
  output
    .map((item) => ((item as { type: string }).type === 'message' ? (item as { text: string }).text : ''))
    .join('');

describe('the matrix: OpenAI Responses client (openai SDK) × every upstream format', () => {
  let matrix: Matrix;
  const record = recorder();
  let client: OpenAI;

  beforeAll(async () => {
    matrix = await startMatrix();
    client = new OpenAI({
      apiKey: GATEWAY_KEY,
      baseURL: `${matrix.gateway.url}/v1`,
      maxRetries: 0,
      timeout: 10_000,
      fetch: record.fetch,
    });
  });
  afterAll(() => matrix.stop());

  const run = (body: ResponseCreateParamsBase, stream: boolean) =>
    stream
      ? client.responses.stream({ ...body, stream: true }).finalResponse()
      : client.responses.create({ ...body, stream: false });

  it('gemini: a call’s thoughtSignature comes back on it through the ids the client echoes', async () => {
    const body = request('gemini', 'parallel');
    const first = await client.responses.create({ ...body, stream: false });
    const calls = first.output.filter((i) => i.type === 'function_call');
    await client.responses.create({
      ...body,
      stream: false,
      input: [
        ...(body.input as OpenAI.Responses.ResponseInputItem[]),
        ...calls,
        ...calls.map((c) => ({
          type: 'function_call_output' as const,
          call_id: c.call_id,
          output: TOOL_OUTPUT,
        })),
        { role: 'user', content: `${marker(RESULTS)} Go on.` },
      ],
    });
    expectGeminiCallsSigned(matrix.seen('gemini'));
  });

  describe.each(UPSTREAMS)('upstream format %s', (format) => {
    describe.each([false, true])('stream %s', (stream) => {
      for (const scenario of ANSWERED) {
        it(scenario, async () => {
          const response = await run(request(format, scenario), stream);
          const output = expectedOutput(format, scenario);
          const limited = scenario === 'limit';
          expect(shape(response)).toEqual({
            status: limited ? 'incomplete' : 'completed',
            incomplete: limited ? { reason: 'max_output_tokens' } : null,
            output,
            output_text: textOf(output),
            usage: USAGE_OUT,
          });
          if (stream) validateResponsesStream(await record.last(), limited ? 'incomplete' : 'completed');
          expectUpstreamRequest(format, 'responses', matrix.seen(format), scenario, stream);
        });
      }

      it('error: the upstream’s 400 as the SDK’s BadRequestError', async () => {
        const error = await run(request(format, 'error'), stream).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        expect((error as APIError).status).toBe(400);
        expect((error as APIError).message).toContain(ERROR_MESSAGE);
        expect((error as APIError).type).toBe('invalid_request_error');
      });
    });

    it('history: reasoning goes back only to the family that signed it', async () => {
      const anthropicSigned = `anthropic.thinking:${ANTHROPIC_SIGNATURE}`;
      const summary = [{ type: 'summary_text' as const, text: THOUGHT }];
      const response = await client.responses.create({
        model: modelFor(format),
        store: false,
        reasoning: { effort: 'low' },
        input: [
          { role: 'user', content: 'First question.' },
          { type: 'reasoning', id: 'rs_anthropic1', summary, encrypted_content: anthropicSigned },
          { type: 'reasoning', id: 'rs_openai1', summary, encrypted_content: RESPONSES_ENCRYPTED },
          { role: 'assistant', content: THOUGHT_ANSWER },
          { role: 'user', content: `${marker(HISTORY)} And then?` },
        ],
      });
      expect(response.output_text).toBe(ANSWER);
      const seen = matrix.seen(format);
      expectSignatureOnlyToItsFamily(format, 'responses', seen, 'anthropic', ANTHROPIC_SIGNATURE, {
        type: 'thinking',
        thinking: THOUGHT,
        signature: ANTHROPIC_SIGNATURE,
      });
      expectSignatureOnlyToItsFamily(
        format,
        'responses',
        seen,
        'openai',
        RESPONSES_ENCRYPTED,
        expect.objectContaining({ type: 'reasoning', encrypted_content: RESPONSES_ENCRYPTED }),
      );
    });

    it('results: a function call and its output reach the upstream paired', async () => {
      const response = await client.responses.create({
        model: modelFor(format),
        store: false,
        tools: request(format, 'tool').tools,
        input: [
          { role: 'user', content: 'Weather in Paris?' },
          { type: 'function_call', call_id: 'call_w1', name: WEATHER.name, arguments: '{"city":"Paris"}' },
          { type: 'function_call_output', call_id: 'call_w1', output: TOOL_OUTPUT },
          { role: 'user', content: `${marker(RESULTS)} Summarise.` },
        ],
      });
      expect(response.output_text).toBe(ANSWER);
      expectToolRoundTrip(format, 'responses', matrix.seen(format));
    });

    it('cut, held: an answer the upstream drops is a 502 in OpenAI’s shape', async () => {
      const error = await run(request(format, 'cut'), false).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect((error as APIError).status).toBe(502);
    });

    it('cut: a stream the upstream drops ends in error, the SDK sees the text so far', async () => {
      let said = '';
      let last = '';
      const events = await client.responses.create({ ...request(format, 'cut'), stream: true });
      const error = await (async () => {
        for await (const event of events) {
          last = event.type;
          if (event.type === 'response.output_text.delta') said += event.delta;
        }
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(said).toBe('Hello from');
      const text = await record.last();
      if (format === 'openai') {
        // Passed through: the gateway does not number events it did not write (docs/translation.md).
        expect(error).toBeInstanceOf(APIError);
        expect(JSON.parse(sseFrames(text).at(-1)!.data)).toMatchObject({
          error: { type: 'upstream_error', code: 'upstream_stream_interrupted' },
        });
        return;
      }
      expect(error).toBeUndefined();
      expect(last).toBe('response.failed');
      const failed = validateResponsesStream(text, 'failed').at(-1)!;
      expect(failed.response).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
    });

    it('fail: an upstream error reported in-band mid-stream ends with response.failed', async () => {
      let said = '';
      const types: string[] = [];
      const events = await client.responses.create({ ...request(format, 'fail'), stream: true });
      for await (const event of events) {
        types.push(event.type);
        if (event.type === 'response.output_text.delta') said += event.delta;
      }
      expect(said).toBe('Hello from');
      expect(types.at(-1)).toBe('response.failed');
      const failed = validateResponsesStream(await record.last(), 'failed').at(-1)!;
      expect(failed.response).toMatchObject({
        status: 'failed',
        error: { code: 'server_error', message: expect.stringContaining(OVERLOADED) },
      });
    });
  });
});
