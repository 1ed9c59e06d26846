/**
 * The client × upstream matrix: what every scenario answers, in the IR's terms, whatever the
 * upstream's wire format. Each upstream's fixtures (fixtures/*.ts) say these same things in their
 * provider's own shapes; each client test expects them back in its client's vocabulary.
 */

export const SCENARIOS = [
  'text',
  'tool',
  'parallel',
  'thinking',
  'image',
  'limit',
  'error',
  'cut',
  'fail',
] as const;
/** Scenarios every client runs held and streamed (`error`, `cut` and `fail` have their own cases). */
export const ANSWERED = SCENARIOS.filter((s) => s !== 'error' && s !== 'cut' && s !== 'fail');
export type Scenario = (typeof SCENARIOS)[number];

/**
 * A second turn whose history holds the thinking of a first one, signed by one family: the
 * signature must reach an upstream of that family and no other. Answered like `text`.
 */
export const HISTORY = 'history';

/** A second turn that gives a tool call's result back: paired with its call upstream. Answered like `text`. */
export const RESULTS = 'results';
export const TOOL_OUTPUT = '18°C and sunny';

/** The upstream formats of `upstreams[].format`, each behind its own mock. */
export const UPSTREAMS = ['openai', 'openai-chat', 'anthropic', 'gemini'] as const;
export type UpstreamFormat = (typeof UPSTREAMS)[number];

/** The model a client asks for to reach the mock of `format` (one route each). */
export const modelFor = (format: UpstreamFormat) => `matrix-${format}`;

/** The marker a client's prompt carries so the mock knows which scenario to replay. */
export const marker = (scenario: Scenario | typeof HISTORY | typeof RESULTS) => `[scenario:${scenario}]`;

export const TEXT = ['Hello from', ' the matrix.'] as const;
export const ANSWER = TEXT.join('');
/** What a model says before its single tool call (`tool`). */
export const PREFACE = 'Checking.';
/** The answer cut short by the token limit (`limit`). */
export const LIMITED = TEXT[0];
export const WEATHER = { name: 'get_weather', args: { city: 'Paris' } } as const;
export const TIME = { name: 'get_time', args: { tz: 'CET' } } as const;
export const THOUGHT = 'Weighing it.';
export const THOUGHT_ANSWER = 'Forty-two.';
export const IMAGE_ANSWER = 'A red pixel.';
/** A 1×1 PNG, as the client sends it. */
export const PIXEL =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
/** The message of an overload reported in-band, mid-stream (`fail`). */
export const OVERLOADED = 'matrix: the model is overloaded';
export const ERROR_MESSAGE = 'matrix: the request is malformed';

/** Normalised usage every fixture reports: 20 uncached input, 10 cache read, 7 output. */
export const USAGE = { input: 20, cached: 10, output: 7, reasoning: 3 } as const;
export const PROMPT = USAGE.input + USAGE.cached;

/** Tools a client declares (JSON Schema). */
export const TOOL_SCHEMAS = [
  {
    name: WEATHER.name,
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
  {
    name: TIME.name,
    description: 'Time in a zone',
    parameters: { type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] },
  },
];

/** What a mock upstream replays for one scenario. */
export interface Fixture {
  /** The held answer's body (status 200 unless `status`). */
  readonly held: unknown;
  readonly status?: number;
  /** The SSE stream, event by event (for `cut`, the part before the connection is dropped). */
  readonly stream: readonly string[];
}

export type Fixtures = Record<Scenario, Fixture>;
