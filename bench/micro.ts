/**
 * `npm run bench:micro`: what Switchyard's own per-request steps cost, each timed alone in a loop
 * (microseconds per call). Complements the CPU profile: the profile says where time goes, this
 * says how much each step would give back if it were cheaper.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { GatewayAccess } from '../src/access/access';
import { createLogger } from '../src/adapter/node/logger';
import { configSchema } from '../src/config/schema/index';
import { RequestContext } from '../src/core/context';
import { logRequest } from '../src/gateway/request-line';
import { Redactor } from '../src/observe/redact';
import { ANTHROPIC_CODEC } from '../src/providers/anthropic/codec';
import { GEMINI_CODEC } from '../src/providers/gemini/codec';
import { OPENAI_CHAT_CODEC } from '../src/providers/openai/codec';
import { RESPONSES_CODEC } from '../src/providers/responses/codec';
import { estimateInputTokens } from '../src/providers/translate/estimate';
import { ResponseTranslator } from '../src/providers/translate/translator';
import { clientResponseHeaders, upstreamRequestHeaders } from '../src/proxy/headers';
import { parsedJson } from '../src/proxy/json-body';
import { benchKeys, CLIENT_KEY } from './config/keys';
import { markdownTable } from './report/table';
import { chatBody } from './targets/target';

const CALLS = 100_000;

function time(fn: () => void): number {
  for (let i = 0; i < CALLS / 10; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1000 / CALLS;
}

const redactor = new Redactor();
redactor.replaceAll([CLIENT_KEY, ...benchKeys(10)]);
const devNull = pino.destination({ dest: '/dev/null', sync: true });
const logger = createLogger({
  level: 'info',
  format: 'json',
  redactor,
  destination: devNull as unknown as NodeJS.WritableStream,
});
const field = (text: string) => redactor.redactField(text);
const fresh = (text: string) => redactor.redact(text);
const plain = pino({ level: 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, devNull);
const epoch = pino({ level: 'info', base: undefined }, devNull);
const ctx = new RequestContext(
  randomUUID(),
  'POST',
  '/v1/chat/completions',
  '127.0.0.1:8080',
  '127.0.0.1',
  'wrk',
  0,
  {
    'x-request-id': randomUUID(),
  },
);
ctx.status = 200;
ctx.model = 'gpt-4o-mini';
ctx.verdict = 'success';
ctx.ttfbMs = 0.4;
const line = `{"level":30,"time":"${new Date().toISOString()}","req_id":"${ctx.id}","method":"POST","path":"/v1/chat/completions","status":200,"duration_ms":0.91,"ttfb_ms":0.4,"route":"default","upstream":"mock","key":"sk-...0001","model":"gpt-4o-mini","verdict":"success","client_ip":"127.0.0.1","user_agent":"wrk","msg":"request"}`;
const access = new GatewayAccess(configSchema.parse({ server: { auth_keys: [CLIENT_KEY] } }));
const authHeaders = {
  header: (name: string) => (name === 'authorization' ? `Bearer ${CLIENT_KEY}` : undefined),
};
const body = Buffer.from(chatBody());
const raw = [
  'Host',
  '127.0.0.1:8080',
  'Authorization',
  'Bearer x',
  'Content-Type',
  'application/json',
  'Content-Length',
  '120',
];
const upstreamHead = {
  'content-type': 'application/json',
  'content-length': '301',
  connection: 'keep-alive',
};

/** A Claude Code-like request and a ten-event OpenAI stream, for the translation rows. */
const messages = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  stream: true,
  system: [{ type: 'text', text: 'You are a coding assistant. Answer briefly.' }],
  tools: [
    {
      name: 'read_file',
      description: 'Read a file',
      input_schema: { type: 'object', properties: { path: { type: 'string' } } },
    },
  ],
  messages: [{ role: 'user', content: 'Explain what this gateway does in one sentence.' }],
};
const messagesIr = ANTHROPIC_CODEC.parseRequest(messages);
/** The same conversation as a Codex-like Responses request. */
const responses = {
  model: 'gpt-5',
  stream: true,
  store: false,
  instructions: 'You are a coding assistant. Answer briefly.',
  tools: [
    {
      type: 'function',
      name: 'read_file',
      description: 'Read a file',
      parameters: { type: 'object', properties: { path: { type: 'string' } } },
    },
  ],
  input: [{ role: 'user', content: [{ type: 'input_text', text: messages.messages[0]!.content }] }],
};
const responsesIr = RESPONSES_CODEC.parseRequest(responses);
const openAiChunk = (content: string) =>
  `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}]}\n\n`;
const upstreamStream = Buffer.from(
  [
    ...Array.from({ length: 8 }, (_, i) => openAiChunk(`word${i} `)),
    'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":40,"completion_tokens":8,"total_tokens":48}}\n\n',
    'data: [DONE]\n\n',
  ].join(''),
);
const geminiChunk = (text: string, last: boolean) =>
  `data: {"candidates":[{"content":{"parts":[{"text":${JSON.stringify(text)}}],"role":"model"},${last ? '"finishReason":"STOP",' : ''}"index":0}],"usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":8,"totalTokenCount":48},"modelVersion":"gemini-2.5-pro","responseId":"r"}\r\n\r\n`;
const geminiStream = Buffer.from(
  Array.from({ length: 10 }, (_, i) => geminiChunk(`word${i} `, i === 9)).join(''),
);

const rows: [string, number][] = [
  ['request log line (pino, fields redacted, to /dev/null)', time(() => logRequest(logger, ctx, field))],
  ['  the same, every field redacted afresh', time(() => logRequest(plain, ctx, fresh))],
  ['  the same, epoch timestamps', time(() => logRequest(epoch, ctx, field))],
  ['  redactor.redact() of one request line', time(() => redactor.redact(line))],
  ['client key check (identify: HMAC lookup)', time(() => access.identify(ctx, authHeaders))],
  [
    'JSON body parse for model/stream (parsedJson)',
    time(() => {
      ctx.jsonParsed = false;
      ctx.body = body;
      parsedJson(ctx, 'application/json');
    }),
  ],
  [
    'response head: own headers + clientResponseHeaders',
    time(() =>
      clientResponseHeaders(
        upstreamHead,
        {
          ...ctx.replyHeaders,
          'x-switchyard-attempts': String(1),
          'server-timing': `gateway;dur=${(0.123).toFixed(2)}, upstream;dur=${(0.456).toFixed(2)}`,
        },
        301,
      ),
    ),
  ],
  [
    'upstream request headers',
    time(() =>
      upstreamRequestHeaders(raw, {
        authHeader: 'authorization',
        authValue: 'Bearer sk-bench-1',
        requestId: ctx.id,
        contentLength: body.length,
        extra: {},
        defaults: {},
      }),
    ),
  ],
  ['request id (randomUUID)', time(() => randomUUID())],
  [
    'translate a request: Anthropic → IR → OpenAI Chat, serialised',
    time(() => JSON.stringify(OPENAI_CHAT_CODEC.buildRequest(ANTHROPIC_CODEC.parseRequest(messages)))),
  ],
  [
    'translate a request: Anthropic → IR → Gemini, serialised',
    time(() => JSON.stringify(GEMINI_CODEC.buildRequest(ANTHROPIC_CODEC.parseRequest(messages)))),
  ],
  ['  local input-token estimate for message_start', time(() => estimateInputTokens(messagesIr))],
  [
    'translate a 10-event Gemini stream to Anthropic SSE',
    time(() => {
      const translator = new ResponseTranslator(GEMINI_CODEC, ANTHROPIC_CODEC, {
        request: messagesIr,
        estimatedInput: 20,
      });
      translator.head({ 'content-type': 'text/event-stream' }, true);
      translator.chunk(geminiStream);
      translator.end();
    }),
  ],
  [
    'translate a 10-event OpenAI stream to Anthropic SSE',
    time(() => {
      const translator = new ResponseTranslator(OPENAI_CHAT_CODEC, ANTHROPIC_CODEC, {
        request: messagesIr,
        estimatedInput: 20,
      });
      translator.head({ 'content-type': 'text/event-stream' }, true);
      translator.chunk(upstreamStream);
      translator.end();
    }),
  ],
  [
    'translate a request: Responses → IR → OpenAI Chat, serialised',
    time(() => JSON.stringify(OPENAI_CHAT_CODEC.buildRequest(RESPONSES_CODEC.parseRequest(responses)))),
  ],
  [
    'translate a 10-event OpenAI stream to Responses SSE',
    time(() => {
      const translator = new ResponseTranslator(OPENAI_CHAT_CODEC, RESPONSES_CODEC, {
        request: responsesIr,
        estimatedInput: 20,
      });
      translator.head({ 'content-type': 'text/event-stream' }, true);
      translator.chunk(upstreamStream);
      translator.end();
    }),
  ],
];
process.stdout.write(`${markdownTable(['step', 'µs per call'], rows)}\n`);
