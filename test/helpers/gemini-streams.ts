/**
 * Gemini `streamGenerateContent?alt=sse` streams as the API sends them (bare `data:` events,
 * each a whole GenerateContentResponse, usage cumulative on every chunk), written by hand after
 * the shapes documented by Google: what Gemini mock upstreams replay.
 */

const data = (value: object) => `data: ${JSON.stringify(value)}\r\n\r\n`;

const MODEL = 'gemini-2.5-pro';

function chunk(parts: object[], extra: object = {}, responseId = 'resp-gem-1') {
  return data({
    candidates: [{ content: { parts, role: 'model' }, index: 0, ...extra }],
    usageMetadata: { promptTokenCount: 40, totalTokenCount: 40 },
    modelVersion: MODEL,
    responseId,
  });
}

/** Usage as the last chunk reports it: 40 prompt (10 cached), 12 answer, 20 thinking. */
export const GEMINI_FINAL_USAGE = {
  promptTokenCount: 40,
  cachedContentTokenCount: 10,
  candidatesTokenCount: 12,
  thoughtsTokenCount: 20,
  totalTokenCount: 72,
};

/** Thought summaries, then text; the last chunk has the finish reason and the usage. */
export const GEMINI_THINKING_TEXT = [
  chunk([{ text: 'Thinking about', thought: true }]),
  chunk([{ text: ' the weather.', thought: true }]),
  chunk([{ text: 'Paris is' }]),
  data({
    candidates: [
      { content: { parts: [{ text: ' sunny.' }], role: 'model' }, finishReason: 'STOP', index: 0 },
    ],
    usageMetadata: GEMINI_FINAL_USAGE,
    modelVersion: MODEL,
    responseId: 'resp-gem-1',
  }),
];

/** Gemini 3: two parallel calls, the first with its thought signature; STOP (not a tool reason). */
export const GEMINI_PARALLEL_TOOLS = [
  chunk([{ text: 'Checking both.' }], {}, 'resp-gem-2'),
  data({
    candidates: [
      {
        content: {
          parts: [
            {
              functionCall: { name: 'get_weather', args: { city: 'Paris' } },
              thoughtSignature: 'CiQB+sig/1==',
            },
            { functionCall: { name: 'get_time', args: { tz: 'CET' } } },
          ],
          role: 'model',
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 80, candidatesTokenCount: 31, totalTokenCount: 111 },
    modelVersion: 'gemini-3-pro-preview',
    responseId: 'resp-gem-2',
  }),
];

/** The answer was cut by the token limit. */
export const GEMINI_MAX_TOKENS = [
  chunk([{ text: 'A long' }], {}, 'resp-gem-3'),
  data({
    candidates: [
      { content: { parts: [{ text: ' story' }], role: 'model' }, finishReason: 'MAX_TOKENS', index: 0 },
    ],
    usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 2, totalTokenCount: 11 },
    modelVersion: MODEL,
    responseId: 'resp-gem-3',
  }),
];

/** The first part of a stream the upstream then cuts off. */
export const GEMINI_CUT = [chunk([{ text: 'Half a' }], {}, 'resp-gem-4')];

/** A held answer: a thought, text and a call with a signature. */
export const GEMINI_HELD = {
  candidates: [
    {
      content: {
        parts: [
          { text: 'Plan.', thought: true },
          { text: 'Calling.' },
          {
            functionCall: { id: 'fc_1', name: 'get_weather', args: { city: 'Oslo' } },
            thoughtSignature: 'AbC/+d==',
          },
        ],
        role: 'model',
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: GEMINI_FINAL_USAGE,
  modelVersion: MODEL,
  responseId: 'resp-held',
};

/** Gemini's error body. */
export function geminiError(code: number, status: string, message: string) {
  return { error: { code, message, status } };
}
