import { setImmediate as settle } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseParseError, SocketError } from '../../src/adapter/node/lean/errors';
import type { ResponseHead } from '../../src/adapter/node/lean/response-head';
import { ResponseParser } from '../../src/adapter/node/lean/response-parser';
import { LeanTransport } from '../../src/adapter/node/lean/transport';
import { testUpstream } from '../helpers/routing';
import { exchange, request } from './exchange';
import { startScripted } from './scripted-server';

/** A well-formed response, described so its bytes and what a parser must make of them both follow. */
interface Model {
  readonly method: 'GET' | 'HEAD';
  readonly status: number;
  readonly framing: 'length' | 'chunked' | 'close';
  readonly body: Uint8Array;
  /** Chunk sizes for chunked framing (the body is cut at these lengths, in turn). */
  readonly cuts: number[];
  readonly extensions: boolean;
  readonly trailers: [string, string][];
  readonly informational: number[];
  readonly headers: [string, string][];
}

const tokenChars = [...'abcdefghijklmnopqrstuvwxyz0123456789-_'];
const token = fc
  .array(fc.constantFrom(...tokenChars), { minLength: 1, maxLength: 12 })
  .map((chars) => `x-${chars.join('')}`);
const fieldValue = fc
  .array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 30 })
  .map((codes) => String.fromCharCode(...codes).trim());

const model: fc.Arbitrary<Model> = fc.record({
  method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
  status: fc.constantFrom(200, 201, 204, 304, 400, 404, 429, 500, 503),
  framing: fc.constantFrom('length', 'chunked', 'close'),
  body: fc.uint8Array({ maxLength: 300 }),
  cuts: fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 8 }),
  extensions: fc.boolean(),
  trailers: fc.array(fc.tuple(token, fieldValue), { maxLength: 3 }),
  informational: fc.array(fc.constantFrom(100, 102, 103), { maxLength: 2 }),
  headers: fc.array(fc.tuple(token, fieldValue), { maxLength: 5 }),
});

function bodiless(m: Model): boolean {
  return m.method === 'HEAD' || m.status === 204 || m.status === 304;
}

/** The bytes of a model (a close-delimited body is declared by framing nothing). */
function serialize(m: Model): Buffer {
  let head = '';
  for (const code of m.informational) head += `HTTP/1.1 ${code} Info\r\nx-hint: 1\r\n\r\n`;
  head += `HTTP/1.1 ${m.status} Reason\r\n`;
  for (const [name, value] of m.headers) head += `${name}: ${value}\r\n`;
  const body = bodiless(m) ? new Uint8Array(0) : m.body;
  if (m.framing === 'length') head += `content-length: ${m.body.length}\r\n`;
  if (m.framing === 'chunked') head += 'transfer-encoding: chunked\r\n';
  if (m.framing === 'close') head += 'connection: close\r\n';
  const parts: Buffer[] = [Buffer.from(`${head}\r\n`, 'latin1')];
  if (m.framing === 'chunked' && !bodiless(m)) parts.push(chunked(m));
  else parts.push(Buffer.from(body));
  return Buffer.concat(parts);
}

function chunked(m: Model): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < m.body.length; i++) {
    const size = Math.min(m.cuts[i % m.cuts.length]!, m.body.length - at);
    const ext = m.extensions ? `;n${i}="v ${i}";flag` : '';
    parts.push(
      Buffer.from(`${size.toString(16)}${ext}\r\n`),
      Buffer.from(m.body.subarray(at, at + size)),
      Buffer.from('\r\n'),
    );
    at += size;
  }
  let tail = '0\r\n';
  for (const [name, value] of m.trailers) tail += `${name}: ${value}\r\n`;
  parts.push(Buffer.from(`${tail}\r\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** What the parser delivered for one response. */
class Collector {
  heads: ResponseHead[] = [];
  chunks: Buffer[] = [];
  onHead(head: ResponseHead): void {
    this.heads.push(head);
  }
  onBody(chunk: Uint8Array): void {
    this.chunks.push(Buffer.from(chunk));
  }
  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }
  clear(): void {
    this.heads = [];
    this.chunks = [];
  }
}

/** Feeds `bytes` cut at the given points, then the connection's end when `end` is set. */
function feedSplit(parser: ResponseParser, bytes: Buffer, cuts: number[], end: boolean): void {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let at = 0;
  for (const point of [...points, bytes.length]) {
    if (point > at) parser.feed(bytes.subarray(at, point));
    at = Math.max(at, point);
  }
  if (end) parser.end();
}

const splits = fc.array(fc.nat({ max: 2000 }), { maxLength: 12 });

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number };

/** Mutations that keep most of a response and break it somewhere. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    byte: fc.constantFrom(0, 9, 10, 13, 32, 58, 59, 48, 102, 0x7f, 0x80, 0xff),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    byte: fc.constantFrom(10, 13, 32, 58, 48, 59, 0),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);

function mutate(bytes: Buffer, steps: Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const step of steps) {
    const at = out.length === 0 ? 0 : step.at % out.length;
    if (step.kind === 'set') out[at] = step.byte;
    else if (step.kind === 'insert')
      out = Buffer.concat([out.subarray(0, at), Buffer.from([step.byte]), out.subarray(at)]);
    else if (step.kind === 'delete')
      out = Buffer.concat([out.subarray(0, at), out.subarray(at + step.length)]);
    else out = Buffer.concat([out.subarray(0, at + step.length), out.subarray(at)]);
  }
  return out;
}

const SEED = 0x5eed11;
const RUNS = 700;

/** Parser errors are the only way out: anything else (TypeError, RangeError) is a bug. */
function expectParserError(err: unknown): void {
  expect(err instanceof ResponseParseError || err instanceof SocketError, String(err)).toBe(true);
}

describe('lean response parser, fuzzed (seeded)', () => {
  it('reads every well-formed response exactly, however its bytes are split', () => {
    fc.assert(
      fc.property(model, splits, (m, cuts) => {
        const sink = new Collector();
        const parser = new ResponseParser(sink, 16 * 1024);
        parser.expect(m.method);
        feedSplit(parser, serialize(m), cuts, m.framing === 'close' && !bodiless(m));
        expect(parser.complete).toBe(true);
        expect(parser.stray).toBe(0);
        expect(sink.heads.map((head) => head.status)).toEqual([m.status]);
        expect(sink.body.equals(bodiless(m) ? Buffer.alloc(0) : Buffer.from(m.body))).toBe(true);
        expect(parser.keepAlive).toBe(m.framing !== 'close');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('never throws outside its errors on mangled input, and never desynchronises the next response', () => {
    fc.assert(
      fc.property(
        model,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        splits,
        model,
        (m, steps, cuts, next) => {
          const sink = new Collector();
          const parser = new ResponseParser(sink, 16 * 1024);
          parser.expect(m.method);
          try {
            feedSplit(parser, mutate(serialize(m), steps), cuts, false);
          } catch (err) {
            expectParserError(err);
            return; // the connection is dropped: nothing follows on it
          }
          // Reused only when the answer ended cleanly, with no byte left over, on a keep-alive connection.
          if (!parser.complete || parser.stray > 0 || !parser.keepAlive) return;
          const second = next.framing === 'close' ? { ...next, framing: 'length' as const } : next;
          sink.clear();
          parser.reset();
          parser.expect(second.method);
          feedSplit(parser, serialize(second), cuts, false);
          expect(parser.complete).toBe(true);
          expect(sink.heads.map((head) => head.status)).toEqual([second.status]);
          expect(sink.body.equals(bodiless(second) ? Buffer.alloc(0) : Buffer.from(second.body))).toBe(true);
        },
      ),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('takes arbitrary bytes without throwing anything but its own errors', () => {
    const headish = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .array(
          fc.constantFrom(
            'HTTP/1.1 ',
            '200',
            ' OK',
            '\r\n',
            ':',
            'content-length',
            'transfer-encoding',
            'chunked',
            ' ',
            '5',
            ';',
            '\n',
            '\0',
            'a',
          ),
          {
            maxLength: 40,
          },
        )
        .map((parts) => Buffer.from(parts.join(''), 'latin1')),
    );
    fc.assert(
      fc.property(headish, splits, fc.boolean(), (bytes, cuts, end) => {
        const parser = new ResponseParser(new Collector(), 1024);
        parser.expect('GET');
        try {
          feedSplit(parser, Buffer.from(bytes), cuts, end);
        } catch (err) {
          expectParserError(err);
        }
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });
});

describe('lean transport over a socket, fuzzed (seeded)', () => {
  it('answers the next request with its own response after any mangled one, never a crash', async () => {
    const server = await startScripted(() => {});
    const transport = new LeanTransport();
    const upstream = testUpstream('fuzz', { url: server.origin });
    const quick = request({ headersTimeout: 50, bodyTimeout: 50 });
    try {
      await fc.assert(
        fc.asyncProperty(
          model,
          fc.array(mutation, { maxLength: 3 }),
          fc.nat({ max: 400 }),
          async (m, steps, cut) => {
            const bad = mutate(serialize({ ...m, method: 'GET' }), steps);
            let turn = 0;
            server.script = async (_req, reply) => {
              if (turn++ > 0)
                return reply.send(`HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\nfresh-${turn}`, {
                  byteByByte: false,
                });
              const at = cut % (bad.length + 1);
              reply.socket.write(bad.subarray(0, at));
              await settle();
              reply.socket.write(bad.subarray(at));
            };
            const first = await exchange(transport, upstream, quick);
            expect(first.events.at(-1)).toMatch(/^(end|error)$/);
            const second = await exchange(transport, upstream);
            expect(second.events).toEqual(['start', 'head 200', 'data', 'end']);
            expect(second.body.toString()).toBe('fresh-2');
          },
        ),
        { seed: SEED + 3, numRuns: 60 },
      );
    } finally {
      await transport.close();
      await server.close();
    }
  });
});
