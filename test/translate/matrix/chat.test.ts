/**
 * The matrix, OpenAI Chat Completions side: the `openai` SDK against every upstream format, every
 * scenario, held and streamed. Each stream the SDK read is checked by the strict Chat validator.
 */
import OpenAI, { APIError } from 'openai';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOpenAiStream } from '../../helpers/stream-validators';
import { GATEWAY_KEY, type Matrix, recorder, startMatrix } from './harness';
import {
  ANSWER,
  ANSWERED,
  ERROR_MESSAGE,
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
import { expectGeminiCallsSigned, expectToolRoundTrip, expectUpstreamRequest } from './upstream-checks';

interface Result {
  text: string;
  reasoning: string;
  calls: { name: string; args: unknown }[];
  stop: string | null;
  usage: unknown;
}

const USAGE_OUT = {
  prompt_tokens: PROMPT,
  completion_tokens: USAGE.output,
  total_tokens: PROMPT + USAGE.output,
  cached: USAGE.cached,
};

const calls = (...tools: { name: string; args: unknown }[]) =>
  tools.map((t) => ({ name: t.name, args: t.args }));

/** What the SDK returns for each scenario, whatever the upstream. */
const EXPECTED: Partial<Record<Scenario, Omit<Result, 'usage'>>> = {
  text: { text: ANSWER, reasoning: '', calls: [], stop: 'stop' },
  tool: { text: PREFACE, reasoning: '', calls: calls(WEATHER), stop: 'tool_calls' },
  parallel: { text: '', reasoning: '', calls: calls(WEATHER, TIME), stop: 'tool_calls' },
  thinking: { text: THOUGHT_ANSWER, reasoning: THOUGHT, calls: [], stop: 'stop' },
  image: { text: IMAGE_ANSWER, reasoning: '', calls: [], stop: 'stop' },
  limit: { text: LIMITED, reasoning: '', calls: [], stop: 'length' },
};

function request(format: UpstreamFormat, scenario: Scenario): ChatCompletionCreateParams {
  const prompt = `${marker(scenario)} Please answer.`;
  const content: OpenAI.ChatCompletionContentPart[] = [{ type: 'text', text: prompt }];
  if (scenario === 'image')
    content.push({ type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } });
  return {
    model: modelFor(format),
    max_completion_tokens: 2000,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content },
    ],
    ...(scenario === 'tool' || scenario === 'parallel'
      ? { tools: TOOL_SCHEMAS.map((f) => ({ type: 'function' as const, function: f })) }
      : {}),
    ...(scenario === 'tool'
      ? { tool_choice: { type: 'function' as const, function: { name: WEATHER.name } } }
      : {}),
    ...(scenario === 'thinking' ? { reasoning_effort: 'low' as const } : {}),
  };
}

type Usage = OpenAI.CompletionUsage | null | undefined;
const usageOf = (u: Usage) =>
  u && {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.total_tokens,
    cached: u.prompt_tokens_details?.cached_tokens,
  };

async function held(client: OpenAI, body: ChatCompletionCreateParams): Promise<Result> {
  const answer = await client.chat.completions.create({ ...body, stream: false });
  const choice = answer.choices[0]!;
  const message = choice.message as typeof choice.message & { reasoning_content?: string };
  return {
    text: message.content ?? '',
    reasoning: message.reasoning_content ?? '',
    calls: (message.tool_calls ?? []).map((c) => {
      if (c.type !== 'function') throw new Error(`a ${c.type} call`);
      return { name: c.function.name, args: JSON.parse(c.function.arguments) };
    }),
    stop: choice.finish_reason,
    usage: usageOf(answer.usage),
  };
}

async function streamed(client: OpenAI, body: ChatCompletionCreateParams, partial: Result): Promise<Result> {
  const stream = await client.chat.completions.create({
    ...body,
    stream: true,
    stream_options: { include_usage: true },
  });
  const args: { name: string; args: string }[] = [];
  for await (const chunk of stream) {
    if (chunk.usage) partial.usage = usageOf(chunk.usage);
    const choice = chunk.choices[0];
    if (!choice) continue;
    const delta = choice.delta as typeof choice.delta & { reasoning_content?: string };
    partial.text += delta.content ?? '';
    partial.reasoning += delta.reasoning_content ?? '';
    for (const call of delta.tool_calls ?? []) {
      args[call.index] ??= { name: call.function?.name ?? '', args: '' };
      args[call.index]!.args += call.function?.arguments ?? '';
    }
    if (choice.finish_reason) partial.stop = choice.finish_reason;
  }
  partial.calls = args.map((c) => ({ name: c.name, args: JSON.parse(c.args) }));
  return partial;
}

const empty = (): Result => ({ text: '', reasoning: '', calls: [], stop: null, usage: undefined });

describe('the matrix: OpenAI Chat client (openai SDK) × every upstream format', () => {
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

  it('gemini: a call’s thoughtSignature comes back on it through the ids the client echoes', async () => {
    const first = await client.chat.completions.create({ ...request('gemini', 'parallel'), stream: false });
    const message = first.choices[0]!.message;
    const results = (message.tool_calls ?? []).map((c) => ({
      role: 'tool' as const,
      tool_call_id: c.id,
      content: TOOL_OUTPUT,
    }));
    await client.chat.completions.create({
      ...request('gemini', 'parallel'),
      messages: [
        ...request('gemini', 'parallel').messages,
        message,
        ...results,
        { role: 'user', content: `${marker(RESULTS)} Go on.` },
      ],
    });
    expectGeminiCallsSigned(matrix.seen('gemini'));
  });

  describe.each(UPSTREAMS)('upstream format %s', (format) => {
    describe.each([false, true])('stream %s', (stream) => {
      for (const scenario of ANSWERED) {
        it(scenario, async () => {
          const body = request(format, scenario);
          const result = stream ? await streamed(client, body, empty()) : await held(client, body);
          expect(result).toEqual({ ...EXPECTED[scenario], usage: USAGE_OUT });
          if (stream) validateOpenAiStream(await record.last());
          expectUpstreamRequest(format, 'chat', matrix.seen(format), scenario, stream);
        });
      }

      it('error: the upstream’s 400 as the SDK’s BadRequestError', async () => {
        const body = request(format, 'error');
        const call = stream ? streamed(client, body, empty()) : held(client, body);
        const error = await call.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        expect((error as APIError).status).toBe(400);
        expect((error as APIError).message).toContain(ERROR_MESSAGE);
        expect((error as APIError).type).toBe('invalid_request_error');
      });
    });

    it('results: a tool call and its result reach the upstream paired', async () => {
      const answer = await client.chat.completions.create({
        model: modelFor(format),
        tools: TOOL_SCHEMAS.map((f) => ({ type: 'function' as const, function: f })),
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_w1',
                type: 'function',
                function: { name: WEATHER.name, arguments: '{"city":"Paris"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_w1', content: TOOL_OUTPUT },
          { role: 'user', content: `${marker(RESULTS)} Summarise.` },
        ],
      });
      expect(answer.choices[0]!.message.content).toBe(ANSWER);
      expectToolRoundTrip(format, 'chat', matrix.seen(format));
    });

    it('a stream without include_usage has no usage chunk (the gateway asks the upstream for one all the same)', async () => {
      const stream = await client.chat.completions.create({ ...request(format, 'text'), stream: true });
      let said = '';
      for await (const chunk of stream) said += chunk.choices[0]?.delta.content ?? '';
      expect(said).toBe(ANSWER);
      const chunks = validateOpenAiStream(await record.last());
      expect(chunks.filter((c) => c.usage)).toEqual([]);
      if (format === 'gemini' || format === 'anthropic') return;
      // README, `stream_usage`: added for metering, the extra chunk removed before the client sees it.
      expect(matrix.seen(format).body.stream_options).toEqual({ include_usage: true });
    });

    it('cut, held: an answer the upstream drops is a 502 in OpenAI’s shape', async () => {
      const error = await held(client, request(format, 'cut')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect((error as APIError).status).toBe(502);
    });

    it('cut: a stream the upstream drops ends with an error chunk, the SDK throws', async () => {
      const partial = empty();
      const error = await streamed(client, request(format, 'cut'), partial).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(APIError);
      expect(partial.text).toBe('Hello from');
      validateOpenAiStream(await record.last(), { endsWithError: true });
    });

    it('fail: an upstream error reported in-band mid-stream ends with an error chunk, the SDK throws', async () => {
      const partial = empty();
      const error = await streamed(client, request(format, 'fail'), partial).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).message).toContain(OVERLOADED);
      expect(partial.text).toBe('Hello from');
      validateOpenAiStream(await record.last(), { endsWithError: true });
    });
  });
});
