/**
 * Many concurrent SSE streams, for measurement: each stream's time to first event, the gap
 * between consecutive events as the client sees them, and each event's transit time (the mock
 * stamps every event with its send time on the shared monotonic clock). Streams start evenly over
 * `rampMs`; each lasts about chunks × interval, so with a ramp no longer than that, all are open at
 * once. Each stream is its own raw TCP connection with a minimal HTTP/1.1 reader (status line,
 * chunked decoding): cheaper per event than a general client, so the harness core keeps up.
 * Run as a child process; argv[2] is the JSON of `SseArgs`; prints one JSON line.
 */
import { connect, type Socket } from 'node:net';
import { type Summary, summarize } from '../report/stats';
import { ChunkedDecoder } from './chunked';

export interface SseArgs {
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly streams: number;
  readonly rampMs: number;
  readonly chunks: number;
  readonly timeoutMs: number;
}

export interface SseResult {
  readonly streams: number;
  readonly completed: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly peakOpen: number;
  /** All in milliseconds. */
  readonly ttfb: Summary;
  readonly gap: Summary;
  readonly transit: Summary;
  /** The mock's own spacing of events: above the interval means the harness core was saturated. */
  readonly mockGap: Summary;
  readonly wallMs: number;
}

const CONTENT = '"delta":{"content":"';

function micros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

class Recorder {
  readonly ttfb: Float64Array;
  readonly gap: Float64Array;
  readonly transit: Float64Array;
  readonly mockGap: Float64Array;
  ttfbCount = 0;
  gapCount = 0;
  transitCount = 0;
  mockGapCount = 0;
  open = 0;
  peakOpen = 0;
  completed = 0;
  errors = 0;
  firstError: string | null = null;

  constructor(streams: number, chunks: number) {
    this.ttfb = new Float64Array(streams);
    this.gap = new Float64Array(streams * chunks);
    this.transit = new Float64Array(streams * chunks);
    this.mockGap = new Float64Array(streams * chunks);
  }

  fail(reason: string): void {
    this.errors++;
    this.firstError ??= reason;
  }
}

/** One stream on its own raw TCP connection: the request, then events parsed as bytes arrive. */
class RawStream {
  private readonly startedAt = micros();
  private head = '';
  private headDone = false;
  private decoder: ChunkedDecoder | null = null;
  private carry = '';
  private events = 0;
  private lastReceived = 0;
  private lastSent = 0;
  private sawDone = false;
  private closed = false;
  private readonly socket: Socket;
  private now = 0;

  constructor(
    host: string,
    port: number,
    request: Buffer,
    private readonly rec: Recorder,
    private readonly expected: number,
    private readonly onClose: () => void,
  ) {
    rec.open++;
    if (rec.open > rec.peakOpen) rec.peakOpen = rec.open;
    this.socket = connect({ host, port, noDelay: true }, () => this.socket.write(request));
    this.socket.on('data', (chunk: Buffer) => this.onChunk(chunk));
    this.socket.on('error', (err) => this.fail(err.message));
    this.socket.on('close', () => this.fail('connection closed before the end'));
  }

  private onChunk(chunk: Buffer): void {
    this.now = micros();
    let text = chunk.toString('latin1');
    if (!this.headDone) {
      this.head += text;
      const end = this.head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const status = Number(this.head.slice(9, 12));
      if (status !== 200) {
        this.fail(`status ${status}`);
        return;
      }
      this.headDone = true;
      const chunked = this.head.slice(0, end).toLowerCase().includes('transfer-encoding: chunked');
      if (chunked) this.decoder = new ChunkedDecoder((data) => this.body(data));
      text = this.head.slice(end + 4);
      this.head = '';
    }
    if (this.decoder) {
      this.decoder.push(text);
      if (this.decoder.finished) this.finish();
    } else this.body(text);
  }

  private body(data: string): void {
    const text = this.carry + data;
    let from = 0;
    for (let end = text.indexOf('\n\n', from); end !== -1; end = text.indexOf('\n\n', from)) {
      this.event(text.slice(from, end));
      from = end + 2;
    }
    this.carry = text.slice(from);
    if (this.sawDone && !this.decoder) this.finish();
  }

  private event(event: string): void {
    if (event.includes('[DONE]')) {
      this.sawDone = true;
      return;
    }
    const at = event.indexOf(CONTENT);
    if (at === -1) return;
    const sent = Number(event.slice(at + CONTENT.length, event.indexOf('"', at + CONTENT.length)));
    const { rec, now } = this;
    if (this.events === 0) rec.ttfb[rec.ttfbCount++] = (now - this.startedAt) / 1000;
    else {
      rec.gap[rec.gapCount++] = (now - this.lastReceived) / 1000;
      rec.mockGap[rec.mockGapCount++] = (sent - this.lastSent) / 1000;
    }
    rec.transit[rec.transitCount++] = (now - sent) / 1000;
    this.events++;
    this.lastReceived = now;
    this.lastSent = sent;
  }

  private finish(): void {
    if (this.events !== this.expected || !this.sawDone) {
      this.fail(`incomplete stream: ${this.events}/${this.expected} events, [DONE] ${this.sawDone}`);
      return;
    }
    if (this.closed) return;
    this.rec.completed++;
    this.close();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.rec.fail(reason);
    this.close();
  }

  /** The run's deadline passed with this stream still open. */
  expire(): void {
    this.fail('timed out');
  }

  private close(): void {
    this.closed = true;
    this.rec.open--;
    this.socket.destroy();
    this.onClose();
  }
}

function requestBytes(args: SseArgs, host: string): Buffer {
  const headers: Record<string, string> = {
    host,
    'content-type': 'application/json',
    accept: 'text/event-stream',
    ...args.headers,
    'content-length': String(Buffer.byteLength(args.body)),
  };
  let head = `POST ${args.path} HTTP/1.1\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  return Buffer.from(`${head}\r\n${args.body}`);
}

async function run(args: SseArgs): Promise<SseResult> {
  const url = new URL(args.origin);
  const request = requestBytes(args, url.host);
  const rec = new Recorder(args.streams, args.chunks);
  const streams: RawStream[] = [];
  const startedAt = performance.now();
  let closed = 0;
  let finish: () => void = () => {};
  const allClosed = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const onClose = (): void => {
    closed++;
    if (closed === args.streams) finish();
  };
  const spacing = args.rampMs / args.streams;
  let next = 0;
  const tick = (): void => {
    const due = Math.min(args.streams, Math.floor((performance.now() - startedAt) / spacing) + 1);
    for (; next < due; next++) {
      streams.push(new RawStream(url.hostname, Number(url.port), request, rec, args.chunks, onClose));
    }
    if (next < args.streams) setTimeout(tick, 1);
  };
  tick();
  const deadline = setTimeout(() => {
    for (const stream of streams) stream.expire();
    for (let i = next; i < args.streams; i++) rec.fail('never started');
    finish();
  }, args.timeoutMs);
  await allClosed;
  clearTimeout(deadline);
  const wallMs = performance.now() - startedAt;
  return {
    streams: args.streams,
    completed: rec.completed,
    errors: rec.errors,
    firstError: rec.firstError,
    peakOpen: rec.peakOpen,
    ttfb: summarize(rec.ttfb.subarray(0, rec.ttfbCount)),
    gap: summarize(rec.gap.subarray(0, rec.gapCount)),
    transit: summarize(rec.transit.subarray(0, rec.transitCount)),
    mockGap: summarize(rec.mockGap.subarray(0, rec.mockGapCount)),
    wallMs,
  };
}

run(JSON.parse(process.argv[2] ?? '{}') as SseArgs).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`sse-client: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
