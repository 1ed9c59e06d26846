import fc from 'fast-check';
import { ADMIN_KEY, AUTH_KEY, CLIENT_TOKEN } from './harness';

/** One generated request: sent over a raw socket (any bytes) or with fetch (what it allows). */
export interface FuzzCase {
  readonly transport: 'raw' | 'fetch';
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer | null;
  /** How a raw body is framed; fetch frames it itself. */
  readonly framing: 'length' | 'chunked' | 'conflict' | 'double-length';
}

const PATHS = [
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/embeddings',
  '/v1/responses',
  '/v1/models',
  '/v1/models/gpt-4o',
  '/v1/files/abc',
  '/v1/audio/transcriptions',
  '/v1/messages',
  '/v1beta/models/gemini-pro:generateContent',
  '/health',
  '/healthz',
  '/metrics',
  '/admin/config',
  '/admin/health',
  '/admin/clients',
  '/admin/upstreams/up0/keys',
  '/',
  '*',
];

/** Pieces an attacker splices into a path. */
const PATH_TRICKS = [
  '/../',
  '//',
  '/./',
  '%2e%2e/',
  '%2f',
  '%5c',
  '\\',
  '%00',
  '%zz',
  ';x=1',
  '%2E',
  '/..',
  '/%2e%2e%2f',
  '?',
  '#',
  'é',
  '%C0%AF',
];

const ABSOLUTE_PREFIXES = [
  '',
  '',
  '',
  'http://evil.example',
  'HTTPS://a:b@evil.example:1',
  'ftp://x',
  'http://',
];

const QUERIES = [
  '',
  '',
  '?a=1',
  '?api_key=' + CLIENT_TOKEN,
  '?x=%2F..%2F',
  '?' + 'q'.repeat(300),
  '?a=%00&b=\u00e9',
];

const target: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...ABSOLUTE_PREFIXES),
    fc.constantFrom(...PATHS),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      {
        weight: 2,
        arbitrary: fc.array(fc.tuple(fc.nat(40), fc.constantFrom(...PATH_TRICKS)), {
          minLength: 1,
          maxLength: 3,
        }),
      },
    ),
    fc.constantFrom(...QUERIES),
  )
  .map(([prefix, path, tricks, query]) => {
    let out = path;
    for (const [at, trick] of tricks) {
      const i = Math.min(at, out.length);
      out = out.slice(0, i) + trick + out.slice(i);
    }
    return prefix + out + query;
  });

const METHODS = ['GET', 'POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const RAW_METHODS = [...METHODS, 'TRACE', 'CONNECT', 'FOO', 'get', 'PROPFIND', 'M-SEARCH', 'PURGE'];

/** Credentials a client might send: none, right, wrong, the wrong kind, or malformed. */
const AUTHORIZATION: fc.Arbitrary<readonly [string, string] | null> = fc.constantFrom(
  null,
  ['authorization', `Bearer ${AUTH_KEY}`],
  ['authorization', `Bearer ${AUTH_KEY}`],
  ['authorization', `Bearer ${AUTH_KEY}`],
  ['authorization', `Bearer ${AUTH_KEY}`],
  ['authorization', `Bearer ${CLIENT_TOKEN}`],
  ['authorization', `Bearer ${ADMIN_KEY}`],
  ['authorization', 'Bearer sk-wrong-0000000000000000'],
  ['authorization', `Basic ${Buffer.from(`user:${AUTH_KEY}`).toString('base64')}`],
  ['authorization', 'Bearer'],
  ['authorization', `bearer   ${AUTH_KEY}`],
  ['x-api-key', CLIENT_TOKEN],
  ['api-key', AUTH_KEY],
  ['x-admin-key', 'wrong-admin-key'],
);

const HOSTILE_HEADERS: readonly (readonly [string, string])[] = [
  ['cookie', 'session=abc; other=def'],
  ['x-forwarded-for', '203.0.113.9, 10.0.0.1'],
  ['forwarded', 'for=203.0.113.9;proto=https'],
  ['x-real-ip', '203.0.113.9'],
  ['x-request-id', '../../etc/passwd'],
  ['x-request-id', 'a'.repeat(200)],
  ['origin', 'https://evil.example'],
  ['access-control-request-method', 'POST'],
  ['accept-encoding', 'gzip, br'],
  ['content-encoding', 'gzip'],
  ['connection', 'keep-alive, x-secret'],
  ['x-secret', 'hop'],
  ['upgrade', 'websocket'],
  ['te', 'trailers'],
  ['range', 'bytes=0-1'],
  ['if-none-match', '*'],
  ['user-agent', `curl/8 ${'\u00ff'}`],
  ['x-switchyard-group', '../admin'],
  ['host', 'internal.example'],
  ['max-forwards', '0'],
];
const RAW_ONLY_HEADERS: readonly (readonly [string, string])[] = [
  ['expect', '100-continue'],
  ['expect', 'something-else'],
  ['transfer-encoding', 'gzip, chunked'],
  ['content-length', '0'],
];

const CONTENT_TYPES = [
  null,
  'application/json',
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'image/png',
  ';;',
];

/** Hostile values for the fields the gateway reads. */
const FIELD_VALUE: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    '',
    '50',
    'banned-x',
    'gpt-4o',
    [],
    {},
    'invalid_api_key',
  ),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const CHAT_FIELDS = [
  'model',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'best_of',
];

const chatBody: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('gpt-4o', 'banned-x', 'text-embedding-3-small', 'invalid_api_key', 'insufficient_quota'),
    fc.dictionary(fc.constantFrom(...CHAT_FIELDS, 'messages', 'input', 'prompt', '__proto__'), FIELD_VALUE, {
      maxKeys: 4,
    }),
  )
  .map(([model, fields]) =>
    JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...fields }),
  );

const deepBody: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 100, max: 2000 }), fc.constantFrom(['[', ']'], ['{"a":', '}']))
  .map(
    ([depth, [open, close]]) =>
      `{"model":"gpt-4o","messages":${open!.repeat(depth)}1${close!.repeat(depth)}}`,
  );

const BODY: fc.Arbitrary<Buffer | null> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 5, arbitrary: chatBody.map((text) => Buffer.from(text)) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }).map((text) => Buffer.from(text)) },
  { weight: 1, arbitrary: deepBody.map((text) => Buffer.from(text)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(chatBody, fc.nat(60), fc.constantFrom([0], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80]))
      .map(([text, at, bytes]) => {
        const i = Math.min(at, text.length);
        return Buffer.concat([Buffer.from(text.slice(0, i)), Buffer.from(bytes), Buffer.from(text.slice(i))]);
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 10_000, max: 200_000 })
      .map((size) =>
        Buffer.from(
          JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(size) }] }),
        ),
      ),
  },
);

const HEADER_NAME = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const HEADER_VALUE = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);

function headers(raw: boolean): fc.Arbitrary<(readonly [string, string])[]> {
  const pool = raw ? [...HOSTILE_HEADERS, ...RAW_ONLY_HEADERS] : HOSTILE_HEADERS;
  return fc
    .tuple(
      AUTHORIZATION,
      fc.constantFrom(...CONTENT_TYPES),
      fc.subarray([...pool], { maxLength: 4 }),
      fc.array(fc.tuple(HEADER_NAME, HEADER_VALUE), { maxLength: 3 }),
    )
    .map(([auth, type, hostile, random]) => {
      const out: (readonly [string, string])[] = [];
      if (auth) out.push(auth);
      if (type !== null) out.push(['content-type', type]);
      out.push(...hostile, ...random.filter(([name]) => !FETCH_FORBIDDEN.has(name)));
      return out;
    });
}

/** Headers fetch refuses or sets itself, and ones that would change the framing by accident. */
const FETCH_FORBIDDEN = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'expect',
  'upgrade',
  'te',
  'keep-alive',
  'trailer',
]);

const rawCase: fc.Arbitrary<FuzzCase> = fc.record({
  transport: fc.constant('raw' as const),
  method: fc.constantFrom(...RAW_METHODS),
  target,
  headers: headers(true),
  body: BODY,
  framing: fc.constantFrom('length', 'length', 'length', 'chunked', 'conflict', 'double-length'),
});

const fetchCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    transport: fc.constant('fetch' as const),
    method: fc.constantFrom(...METHODS),
    target: target.filter((t) => t.startsWith('/') && !t.includes('#') && !t.includes('\\')),
    headers: headers(false).map((list) => list.filter(([name]) => !FETCH_FORBIDDEN.has(name))),
    body: BODY,
    framing: fc.constant('length' as const),
  })
  .map((c) => (c.method === 'GET' || c.method === 'HEAD' ? { ...c, body: null } : c));

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 3, arbitrary: rawCase },
  { weight: 2, arbitrary: fetchCase },
);

/** The bytes of a raw case: request line, headers (Host and `Connection: close` first), framing, body. */
export function rawBytes(c: FuzzCase): Buffer {
  const lines = [`${c.method} ${c.target} HTTP/1.1`, 'Host: gw.example', 'Connection: close'];
  for (const [name, value] of c.headers) lines.push(`${name}: ${value}`);
  const body = c.body ?? Buffer.alloc(0);
  let payload = body;
  if (c.framing === 'chunked') {
    lines.push('Transfer-Encoding: chunked');
    const half = Math.floor(body.length / 2);
    const chunks = [body.subarray(0, half), body.subarray(half)].filter((part) => part.length > 0);
    payload = Buffer.concat([
      ...chunks.flatMap((part) => [
        Buffer.from(`${part.length.toString(16)}\r\n`),
        part,
        Buffer.from('\r\n'),
      ]),
      Buffer.from('0\r\n\r\n'),
    ]);
  } else if (c.framing === 'conflict') {
    lines.push(`Content-Length: ${body.length}`, 'Transfer-Encoding: chunked');
  } else if (c.framing === 'double-length') {
    lines.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
  } else if (c.body !== null) {
    lines.push(`Content-Length: ${body.length}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}
