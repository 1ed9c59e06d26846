/**
 * The matrix, Anthropic Messages side: the `@anthropic-ai/sdk` against every upstream format,
 * every scenario, held and streamed (through the SDK's own accumulator). Each stream the SDK read
 * is checked by the strict Anthropic validator.
 */
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAnthropicStream } from '../../helpers/stream-validators';
import { ANTHROPIC_SIGNATURE } from './fixtures/anthropic';
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
  input_tokens: USAGE.input,
  cache_read_input_tokens: USAGE.cached,
  output_tokens: USAGE.output,
};
const text = (t: string) => ({ type: 'text', text: t });
const toolUse = (tool: { name: string; args: unknown }) => ({
  type: 'tool_use',
  name: tool.name,
  input: tool.args,
});

/** A signature comes back only from the family that made it: Anthropic's; never invented. */
const signatureFrom = (format: UpstreamFormat) => (format === 'anthropic' ? ANTHROPIC_SIGNATURE : '');

/** An in-band upstream error's Anthropic type: an overload stays one; OpenAI's `server_error` is an `api_error`. */
const IN_BAND_TYPE: Record<UpstreamFormat, string> = {
  openai: 'api_error',
  'openai-chat': 'api_error',
  anthropic: 'overloaded_error',
  gemini: 'overloaded_error',
};

/** The content blocks and stop reason the SDK returns, per scenario. */
function expected(format: UpstreamFormat, scenario: Scenario): { content: unknown[]; stop_reason: string } {
  switch (scenario) {
    case 'tool':
      return { content: [text(PREFACE), toolUse(WEATHER)], stop_reason: 'tool_use' };
    case 'limit':
      return { content: [text(LIMITED)], stop_reason: 'max_tokens' };
    case 'parallel':
      return { content: [toolUse(WEATHER), toolUse(TIME)], stop_reason: 'tool_use' };
    case 'thinking':
      return {
        content: [
          { type: 'thinking', thinking: THOUGHT, signature: signatureFrom(format) },
          text(THOUGHT_ANSWER),
        ],
        stop_reason: 'end_turn',
      };
    case 'image':
      return { content: [text(IMAGE_ANSWER)], stop_reason: 'end_turn' };
    default:
      return { content: [text(ANSWER)], stop_reason: 'end_turn' };
  }
}

function request(format: UpstreamFormat, scenario: Scenario): MessageCreateParamsBase {
  const content: Anthropic.ContentBlockParam[] = [
    { type: 'text', text: `${marker(scenario)} Please answer.` },
  ];
  if (scenario === 'image')
    content.push({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } });
  return {
    model: modelFor(format),
    max_tokens: 2000,
    system: 'You are terse.',
    messages: [{ role: 'user', content }],
    ...(scenario === 'tool' || scenario === 'parallel'
      ? {
          tools: TOOL_SCHEMAS.map((t) => ({
            name: t.name,
            description: t.description,
            input_schema: t.parameters as Anthropic.Tool.InputSchema,
          })),
        }
      : {}),
    ...(scenario === 'tool' ? { tool_choice: { type: 'tool' as const, name: WEATHER.name } } : {}),
    ...(scenario === 'thinking' ? { thinking: { type: 'enabled' as const, budget_tokens: 1024 } } : {}),
  };
}

/** The parts of a message a test compares (ids are the gateway's or the provider's). */
function shape(message: Anthropic.Message) {
  return {
    content: message.content.map((block) => {
      if (block.type === 'tool_use') return { type: block.type, name: block.name, input: block.input };
      if (block.type === 'thinking')
        return { type: block.type, thinking: block.thinking, signature: block.signature };
      if (block.type === 'text') return text(block.text);
      return { type: block.type };
    }),
    stop_reason: message.stop_reason,
    usage: {
      input_tokens: message.usage.input_tokens,
      cache_read_input_tokens: message.usage.cache_read_input_tokens,
      output_tokens: message.usage.output_tokens,
    },
  };
}

describe('the matrix: Anthropic Messages client (@anthropic-ai/sdk) × every upstream format', () => {
  let matrix: Matrix;
  const record = recorder();
  let client: Anthropic;

  beforeAll(async () => {
    matrix = await startMatrix();
    client = new Anthropic({
      apiKey: GATEWAY_KEY,
      baseURL: matrix.gateway.url,
      maxRetries: 0,
      timeout: 10_000,
      fetch: record.fetch,
    });
  });
  afterAll(() => matrix.stop());

  const run = (body: MessageCreateParamsBase, stream: boolean) =>
    stream ? client.messages.stream(body).finalMessage() : client.messages.create({ ...body, stream: false });

  it('gemini: a call’s thoughtSignature comes back on it through the ids the client echoes', async () => {
    const body = request('gemini', 'parallel');
    const first = await client.messages.create({ ...body, stream: false });
    const results = first.content.flatMap((b) =>
      b.type === 'tool_use'
        ? [{ type: 'tool_result' as const, tool_use_id: b.id, content: TOOL_OUTPUT }]
        : [],
    );
    await client.messages.create({
      ...body,
      stream: false,
      messages: [
        ...body.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [...results, { type: 'text', text: `${marker(RESULTS)} Go on.` }] },
      ],
    });
    expectGeminiCallsSigned(matrix.seen('gemini'));
  });

  describe.each(UPSTREAMS)('upstream format %s', (format) => {
    describe.each([false, true])('stream %s', (stream) => {
      for (const scenario of ANSWERED) {
        it(scenario, async () => {
          const message = await run(request(format, scenario), stream);
          expect(shape(message)).toEqual({ ...expected(format, scenario), usage: USAGE_OUT });
          if (stream) validateAnthropicStream(await record.last());
          expectUpstreamRequest(format, 'messages', matrix.seen(format), scenario, stream);
        });
      }

      it('error: the upstream’s 400 as the SDK’s BadRequestError in Anthropic’s shape', async () => {
        const error = await run(request(format, 'error'), stream).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Anthropic.BadRequestError);
        expect((error as APIError).status).toBe(400);
        expect((error as APIError).error).toMatchObject({
          type: 'error',
          error: { type: 'invalid_request_error', message: expect.stringContaining(ERROR_MESSAGE) },
        });
      });
    });

    it('history: a thinking signature goes back to Anthropic and to no other family', async () => {
      const message = await client.messages.create({
        model: modelFor(format),
        max_tokens: 2000,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [
          { role: 'user', content: 'First question.' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: THOUGHT, signature: ANTHROPIC_SIGNATURE },
              { type: 'text', text: THOUGHT_ANSWER },
            ],
          },
          { role: 'user', content: `${marker(HISTORY)} And then?` },
        ],
      });
      expect(shape(message).content).toEqual([text(ANSWER)]);
      expectSignatureOnlyToItsFamily(
        format,
        'messages',
        matrix.seen(format),
        'anthropic',
        ANTHROPIC_SIGNATURE,
        {
          type: 'thinking',
          thinking: THOUGHT,
          signature: ANTHROPIC_SIGNATURE,
        },
      );
    });

    it('results: a tool use and its result reach the upstream paired', async () => {
      const message = await client.messages.create({
        model: modelFor(format),
        max_tokens: 2000,
        tools: request(format, 'tool').tools,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_01Weather', name: WEATHER.name, input: WEATHER.args }],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_01Weather', content: TOOL_OUTPUT },
              { type: 'text', text: `${marker(RESULTS)} Summarise.` },
            ],
          },
        ],
      });
      expect(shape(message).content).toEqual([text(ANSWER)]);
      expectToolRoundTrip(format, 'messages', matrix.seen(format));
    });

    it('cut, held: an answer the upstream drops is a 502 in Anthropic’s shape', async () => {
      const error = await run(request(format, 'cut'), false).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Anthropic.InternalServerError);
      expect((error as APIError).status).toBe(502);
      expect((error as APIError).error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    });

    it('cut: a stream the upstream drops ends with an Anthropic error event, the SDK throws', async () => {
      let said = '';
      const stream = client.messages.stream(request(format, 'cut'));
      stream.on('text', (delta) => {
        said += delta;
      });
      const error = await stream.finalMessage().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(APIError);
      expect(said).toBe('Hello from');
      const events = validateAnthropicStream(await record.last(), { endsWithError: true });
      expect(events.at(-1)?.error?.type).toBe('api_error');
    });

    it('fail: an upstream error reported in-band mid-stream ends with an Anthropic error event of its kind', async () => {
      let said = '';
      const stream = client.messages.stream(request(format, 'fail'));
      stream.on('text', (delta) => {
        said += delta;
      });
      const error = await stream.finalMessage().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(APIError);
      expect(said).toBe('Hello from');
      const events = validateAnthropicStream(await record.last(), { endsWithError: true });
      expect(events.at(-1)?.error).toEqual({ type: IN_BAND_TYPE[format], message: OVERLOADED });
    });
  });
});
