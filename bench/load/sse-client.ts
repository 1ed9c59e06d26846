/**
 * Many concurrent SSE streams, for measurement: each stream's time to first event, the gap
 * between consecutive events as the client sees them, and each event's transit time (the mock
 * stamps every event with its send time on the shared monotonic clock). Streams start evenly over
 * `rampMs`; each lasts about chunks × interval, so with a ramp no longer than that, all are open at
 * once. Run as a child process; argv[2] is the JSON of `SseArgs`; prints one JSON line.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, Pool } from 'undici';
import { type Summary, summarize } from '../report/stats';

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

/** One stream: parses events out of the body as it arrives. */
class StreamHandler implements Dispatcher.DispatchHandler {
  private readonly startedAt = micros();
  private carry = '';
  private events = 0;
  private lastReceived = 0;
  private lastSent = 0;
  private sawDone = false;
  private status = 0;
  private closed = false;

  constructor(
    private readonly rec: Recorder,
    private readonly expected: number,
    private readonly onClose: () => void,
  ) {
    rec.open++;
    if (rec.open > rec.peakOpen) rec.peakOpen = rec.open;
  }

  onRequestStart(_c: Dispatcher.DispatchController): void {}

  onResponseStart(_c: Dispatcher.DispatchController, status: number, _h: IncomingHttpHeaders): void {
    this.status = status;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    const now = micros();
    const text = this.carry + chunk.toString('latin1');
    let from = 0;
    for (let end = text.indexOf('\n\n', from); end !== -1; end = text.indexOf('\n\n', from)) {
      this.event(text.slice(from, end), now);
      from = end + 2;
    }
    this.carry = text.slice(from);
  }

  private event(event: string, now: number): void {
    if (event.includes('[DONE]')) {
      this.sawDone = true;
      return;
    }
    const at = event.indexOf(CONTENT);
    if (at === -1) return;
    const sent = Number(event.slice(at + CONTENT.length, event.indexOf('"', at + CONTENT.length)));
    const rec = this.rec;
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

  onResponseEnd(): void {
    if (this.closed) return;
    if (this.status !== 200) this.rec.fail(`status ${this.status}`);
    else if (this.events !== this.expected || !this.sawDone) {
      this.rec.fail(`incomplete stream: ${this.events}/${this.expected} events, [DONE] ${this.sawDone}`);
    } else this.rec.completed++;
    this.close();
  }

  onResponseError(_c: Dispatcher.DispatchController | null, err: Error): void {
    if (this.closed) return;
    this.rec.fail(err.message);
    this.close();
  }

  /** The run's deadline passed with this stream still open. */
  expire(): void {
    if (this.closed) return;
    this.rec.fail('timed out');
    this.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rec.open--;
    this.onClose();
  }
}

async function run(args: SseArgs): Promise<SseResult> {
  const pool = new Pool(args.origin, {
    connections: args.streams,
    pipelining: 1,
    headersTimeout: args.timeoutMs,
    bodyTimeout: args.timeoutMs,
  });
  const rec = new Recorder(args.streams, args.chunks);
  const headers = { 'content-type': 'application/json', accept: 'text/event-stream', ...args.headers };
  const handlers: StreamHandler[] = [];
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
      const handler = new StreamHandler(rec, args.chunks, onClose);
      handlers.push(handler);
      pool.dispatch(
        { origin: args.origin, method: 'POST', path: args.path, headers, body: args.body },
        handler,
      );
    }
    if (next < args.streams) setTimeout(tick, 1);
  };
  tick();
  const deadline = setTimeout(() => {
    for (const handler of handlers) handler.expire();
    for (let i = next; i < args.streams; i++) rec.fail('never started');
    finish();
  }, args.timeoutMs);
  await allClosed;
  clearTimeout(deadline);
  const wallMs = performance.now() - startedAt;
  await pool.destroy();
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
