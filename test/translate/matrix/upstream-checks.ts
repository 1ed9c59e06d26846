/**
 * What the mock upstream must have received for a matrix case: the client's request translated
 * into the upstream's API (path, stream flag, the prompt, tools and image in that API's shape).
 */
import { expect } from 'vitest';
import { GEMINI_CALL_SIGNATURE } from './fixtures/gemini';
import {
  marker,
  modelFor,
  PIXEL,
  type Scenario,
  TOOL_OUTPUT,
  type UpstreamFormat,
  WEATHER,
} from './scenarios';

type Json = Record<string, unknown>;
export type ClientApi = 'chat' | 'responses' | 'messages' | 'gemini';

/** The path the upstream is asked on. */
function expectedPath(format: UpstreamFormat, client: ClientApi, stream: boolean): string {
  if (format === 'gemini')
    return `/v1beta/models/${modelFor(format)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
  if (format === 'anthropic') return '/v1/messages';
  if (format === 'openai' && client === 'responses') return '/v1/responses';
  return '/v1/chat/completions';
}

/** The upstream API a request ends up in. */
function apiOf(format: UpstreamFormat, client: ClientApi): ClientApi {
  if (format === 'gemini') return 'gemini';
  if (format === 'anthropic') return 'messages';
  return format === 'openai' && client === 'responses' ? 'responses' : 'chat';
}

function toolNames(api: ClientApi, body: Json): string[] {
  const tools = (body.tools ?? []) as Json[];
  if (api === 'gemini') return ((tools[0]?.functionDeclarations ?? []) as Json[]).map((d) => String(d.name));
  if (api === 'chat') return tools.map((t) => String((t.function as Json).name));
  return tools.map((t) => String(t.name));
}

/** The image part as each API carries a base64 PNG. */
function imageShape(api: ClientApi): unknown {
  if (api === 'chat')
    return {
      type: 'image_url',
      image_url: expect.objectContaining({ url: `data:image/png;base64,${PIXEL}` }),
    };
  if (api === 'responses')
    return expect.objectContaining({ type: 'input_image', image_url: `data:image/png;base64,${PIXEL}` });
  if (api === 'messages')
    return { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } };
  return { inlineData: { mimeType: 'image/png', data: PIXEL } };
}

/** The first user turn's parts, whatever the API calls them. */
function userParts(api: ClientApi, body: Json): unknown[] {
  if (api === 'gemini') return ((body.contents as Json[])[0]?.parts ?? []) as unknown[];
  const turns = (api === 'responses' ? body.input : body.messages) as Json[];
  const user = turns.find((t) => t.role === 'user');
  return Array.isArray(user?.content) ? user.content : [{ text: user?.content }];
}

/** Where each API keeps the system prompt. */
function systemOf(api: ClientApi, body: Json): unknown {
  if (api === 'gemini') return body.systemInstruction;
  if (api === 'messages') return body.system;
  if (api === 'responses') return body.instructions;
  return (body.messages as Json[]).filter((m) => m.role === 'system' || m.role === 'developer');
}

/** The clients force `get_weather` in the `tool` scenario: each API's way of saying so. */
function expectWeatherForced(api: ClientApi, body: Json): void {
  if (api === 'chat')
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
  else if (api === 'responses') expect(body.tool_choice).toEqual({ type: 'function', name: 'get_weather' });
  else if (api === 'messages') expect(body.tool_choice).toMatchObject({ type: 'tool', name: 'get_weather' });
  else
    expect((body.toolConfig as Json)?.functionCallingConfig).toEqual({
      mode: 'ANY',
      allowedFunctionNames: ['get_weather'],
    });
}

/** Thinking asked for in each API's terms (the clients ask for a low effort or a 1024 budget). */
function expectThinkingAsked(api: ClientApi, body: Json): void {
  if (api === 'chat') expect(body.reasoning_effort).toBe('low');
  else if (api === 'responses') expect(body.reasoning).toMatchObject({ effort: 'low' });
  else if (api === 'messages') {
    expect(body.thinking).toMatchObject({ type: 'enabled', budget_tokens: expect.any(Number) });
    const budget = (body.thinking as { budget_tokens: number }).budget_tokens;
    expect(budget).toBeGreaterThanOrEqual(1024);
    expect(budget).toBeLessThan(Number(body.max_tokens));
  } else
    expect((body.generationConfig as Json).thinkingConfig).toMatchObject({
      includeThoughts: true,
      thinkingBudget: expect.any(Number),
    });
}

export function expectUpstreamRequest(
  format: UpstreamFormat,
  client: ClientApi,
  seen: { url: string; body: Json },
  scenario: Scenario,
  stream: boolean,
): void {
  const api = apiOf(format, client);
  expect(seen.url).toBe(expectedPath(format, client, stream));
  if (api !== 'gemini') {
    expect(seen.body.model).toBe(modelFor(format));
    expect(seen.body.stream ?? false).toBe(stream);
  }
  if (api === 'messages') expect(typeof seen.body.max_tokens).toBe('number');
  expect(JSON.stringify(userParts(api, seen.body))).toContain(marker(scenario));
  if (scenario === 'tool' || scenario === 'parallel')
    expect(toolNames(api, seen.body)).toEqual(['get_weather', 'get_time']);
  if (scenario === 'image') expect(userParts(api, seen.body)).toContainEqual(imageShape(api));
  if (scenario === 'thinking') expectThinkingAsked(api, seen.body);
  if (scenario === 'tool') expectWeatherForced(api, seen.body);
  expect(JSON.stringify(systemOf(api, seen.body))).toContain('You are terse.');
}

/** The family whose signatures an upstream of `format` takes, asked from `client`'s API. */
function familyOf(format: UpstreamFormat, client: ClientApi): string {
  if (format === 'openai' && client === 'responses') return 'openai';
  return format === 'openai' || format === 'openai-chat' ? 'none' : format;
}

/**
 * A history turn's thinking signature made by `family`: in the upstream's request when the
 * upstream is of that family (`shape`: how that API carries it), nowhere in it otherwise.
 */
export function expectSignatureOnlyToItsFamily(
  format: UpstreamFormat,
  client: ClientApi,
  seen: { body: Json },
  family: 'anthropic' | 'openai' | 'gemini',
  signature: string,
  shape: unknown,
): void {
  const text = JSON.stringify(seen.body);
  if (familyOf(format, client) !== family) {
    expect(text).not.toContain(signature);
    return;
  }
  expect(text).toContain(signature);
  const turns = (seen.body.messages ?? seen.body.input ?? seen.body.contents) as Json[];
  const parts = turns.flatMap((t) =>
    Array.isArray(t.content) ? t.content : Array.isArray(t.parts) ? t.parts : [t],
  );
  expect(parts).toContainEqual(shape);
}

interface RoundTrip {
  call: { id: unknown; name: unknown; args: unknown };
  result: { id: unknown; name?: unknown; text: string };
}

/** The first tool call of a request's history and the first result given back, in any API. */
function roundTripOf(api: ClientApi, body: Json): RoundTrip {
  if (api === 'chat') {
    const messages = body.messages as Json[];
    const call = (messages.find((m) => m.tool_calls)!.tool_calls as Json[])[0]!;
    const fn = call.function as Json;
    const result = messages.find((m) => m.role === 'tool')!;
    return {
      call: { id: call.id, name: fn.name, args: JSON.parse(String(fn.arguments)) },
      result: { id: result.tool_call_id, text: JSON.stringify(result.content) },
    };
  }
  if (api === 'responses') {
    const input = body.input as Json[];
    const call = input.find((i) => i.type === 'function_call')!;
    const result = input.find((i) => i.type === 'function_call_output')!;
    return {
      call: { id: call.call_id, name: call.name, args: JSON.parse(String(call.arguments)) },
      result: { id: result.call_id, text: JSON.stringify(result.output) },
    };
  }
  const turns = (api === 'messages' ? body.messages : body.contents) as Json[];
  const parts = turns.flatMap((t) => (api === 'messages' ? t.content : t.parts) as Json[]);
  if (api === 'messages') {
    const call = parts.find((p) => p.type === 'tool_use')!;
    const result = parts.find((p) => p.type === 'tool_result')!;
    return {
      call: { id: call.id, name: call.name, args: call.input },
      result: { id: result.tool_use_id, text: JSON.stringify(result.content) },
    };
  }
  const call = parts.find((p) => p.functionCall)!.functionCall as Json;
  const result = parts.find((p) => p.functionResponse)!.functionResponse as Json;
  return {
    call: { id: call.id, name: call.name, args: call.args },
    result: { id: result.id, name: result.name, text: JSON.stringify(result.response) },
  };
}

/** The history's tool call and its result reached the upstream in its API, paired by id (Gemini: also by name). */
export function expectToolRoundTrip(format: UpstreamFormat, client: ClientApi, seen: { body: Json }): void {
  const api = apiOf(format, client);
  const { call, result } = roundTripOf(api, seen.body);
  expect({ name: call.name, args: call.args }).toEqual({ name: WEATHER.name, args: WEATHER.args });
  expect(result.text).toContain(TOOL_OUTPUT);
  expect(result.id).toBe(call.id);
  if (api === 'gemini') expect(result.name).toBe(WEATHER.name);
  else expect(typeof call.id === 'string' && call.id !== '').toBe(true);
}

/**
 * A Gemini upstream's second turn after the `parallel` answer: both calls back in one model turn,
 * the first with the `thoughtSignature` Gemini gave it (carried by the client in the call's id),
 * the second without; then both responses, by name.
 */
export function expectGeminiCallsSigned(seen: { body: Json }): void {
  const turns = seen.body.contents as { role: string; parts: Json[] }[];
  const model = turns.find((t) => t.role === 'model')!;
  expect(model.parts).toEqual([
    {
      functionCall: expect.objectContaining({ name: 'get_weather', args: { city: 'Paris' } }),
      thoughtSignature: GEMINI_CALL_SIGNATURE,
    },
    { functionCall: expect.objectContaining({ name: 'get_time', args: { tz: 'CET' } }) },
  ]);
  const responses = turns.flatMap((t) => t.parts).filter((p) => p.functionResponse);
  expect(responses.map((p) => (p.functionResponse as Json).name)).toEqual(['get_weather', 'get_time']);
  expect(JSON.stringify(seen.body)).not.toContain('__thought__');
}
