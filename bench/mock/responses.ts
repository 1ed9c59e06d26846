/** The bytes the mock upstream answers with, built once. */

/**
 * The idle keep-alive time the mock announces (`Keep-Alive: timeout=N`) and enforces. Clients that
 * honour the hint (undici, so Switchyard, Portkey and the load clients) close idle connections
 * first, so no request races the mock's close; nginx is told the same in its config.
 */
export const KEEP_ALIVE_SECONDS = 4;

export const COMPLETION_JSON = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello! How can I help you today?' },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
});

function head(status: string, headers: Record<string, string>): string {
  let text = `HTTP/1.1 ${status}\r\n`;
  for (const name in headers) text += `${name}: ${headers[name]}\r\n`;
  return text + '\r\n';
}

/** A complete keep-alive 200 answer with the chat completion. */
export const COMPLETION_RESPONSE = Buffer.from(
  head('200 OK', {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(COMPLETION_JSON)),
    connection: 'keep-alive',
    'keep-alive': `timeout=${KEEP_ALIVE_SECONDS}`,
  }) + COMPLETION_JSON,
);

const UNAUTHORIZED_JSON = JSON.stringify({
  error: {
    message: 'missing bench key',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
});

/** The answer to a request that carries no `Bearer sk-bench-…` key: every gateway must inject one. */
export const UNAUTHORIZED_RESPONSE = Buffer.from(
  head('401 Unauthorized', {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(UNAUTHORIZED_JSON)),
    connection: 'keep-alive',
    'keep-alive': `timeout=${KEEP_ALIVE_SECONDS}`,
  }) + UNAUTHORIZED_JSON,
);

/** The head of an SSE answer; the events follow in HTTP/1.1 chunked encoding. */
export const SSE_HEAD = Buffer.from(
  head('200 OK', {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'transfer-encoding': 'chunked',
    connection: 'keep-alive',
    'keep-alive': `timeout=${KEEP_ALIVE_SECONDS}`,
  }),
);

const EVENT_PREFIX =
  'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"';
const EVENT_SUFFIX = '"},"finish_reason":null}]}\n\n';

/**
 * One SSE event as one HTTP chunk. The content is the mock's send time in microseconds of the
 * monotonic clock (shared by every process on the machine), so the client can tell transit time
 * from the mock's own lateness.
 */
export function sseEventChunk(sentAtMicros: number): Buffer {
  const event = `${EVENT_PREFIX}${sentAtMicros}${EVENT_SUFFIX}`;
  return Buffer.from(`${Buffer.byteLength(event).toString(16)}\r\n${event}\r\n`);
}

const DONE_EVENT = 'data: [DONE]\n\n';
/** The last event and the chunked terminator. */
export const SSE_DONE = Buffer.from(`${DONE_EVENT.length.toString(16)}\r\n${DONE_EVENT}\r\n0\r\n\r\n`);

/** Monotonic microseconds, comparable across processes (CLOCK_MONOTONIC). */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
