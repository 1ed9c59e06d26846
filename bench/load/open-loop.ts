/**
 * Open-loop load at a fixed rate: request i is sent at start + i/rate whether or not earlier ones
 * have answered, so a slow gateway cannot slow the load down (no coordinated omission).
 * Latency is measured from the moment a request is handed to the connection pool to the end of
 * its body. Answers still missing `graceSeconds` after the last request was sent count as
 * errors (a gateway far below the rate would otherwise queue for minutes). Run as a child process; argv[2] is the JSON of `OpenLoopArgs`; prints one JSON line.
 */
import { Pool } from 'undici';
import { type Summary, summarize } from '../report/stats';

export interface OpenLoopArgs {
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly rate: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly connections: number;
  /** How long to wait for answers after the last request was sent; the rest count as errors. */
  readonly graceSeconds?: number;
}

export interface OpenLoopResult {
  readonly sent: number;
  /** Every request sent, warm-up included: what the gateway's request log must hold. */
  readonly fired: number;
  readonly errors: number;
  /** Milliseconds. */
  readonly latency: Summary;
  /** How late the client itself sent requests against the timetable (ms): harness health. */
  readonly scheduleLag: Summary;
  readonly achievedRate: number;
}

async function run(args: OpenLoopArgs): Promise<OpenLoopResult> {
  const pool = new Pool(args.origin, { connections: args.connections, pipelining: 1 });
  const headers = { 'content-type': 'application/json', ...args.headers };
  const warmup = Math.round(args.rate * args.warmupSeconds);
  const total = warmup + Math.round(args.rate * args.seconds);
  const measured = total - warmup;
  const latencies = new Float64Array(measured);
  const lags = new Float64Array(measured);
  let recorded = 0;
  let errors = 0;
  let finished = 0;
  let measuredDone = 0;
  let over = false;
  let next = 0;
  const interval = 1000 / args.rate;
  const start = performance.now() + 20;
  let measureStart = 0;
  let measureEnd = 0;
  let done: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    done = resolve;
  });

  const settle = (): void => {
    finished++;
    if (finished === total) done();
  };
  const fire = (i: number, due: number): void => {
    const sentAt = performance.now();
    if (i === warmup) measureStart = sentAt;
    pool
      .request({ method: 'POST', path: args.path, headers, body: args.body })
      .then(async (res) => {
        await res.body.dump({ limit: Number.POSITIVE_INFINITY });
        const end = performance.now();
        if (i >= warmup && !over) {
          measuredDone++;
          if (res.statusCode !== 200) errors++;
          latencies[recorded] = end - sentAt;
          lags[recorded] = sentAt - due;
          recorded++;
          measureEnd = Math.max(measureEnd, end);
        }
      })
      .catch(() => {
        if (i < warmup || over) return;
        measuredDone++;
        errors++;
      })
      .finally(settle);
  };
  const tick = (): void => {
    const now = performance.now();
    while (next < total && start + next * interval <= now) {
      fire(next, start + next * interval);
      next++;
    }
    if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now() - 0.2));
  };
  setTimeout(tick, 20);
  const sendingMs = (total / args.rate) * 1000;
  const deadline = setTimeout(done, sendingMs + (args.graceSeconds ?? 5) * 1000);
  await allDone;
  clearTimeout(deadline);
  over = true;
  errors += measured - measuredDone;
  await pool.destroy();
  return {
    sent: measured,
    fired: next,
    errors,
    latency: summarize(latencies.subarray(0, recorded)),
    scheduleLag: summarize(lags.subarray(0, recorded)),
    achievedRate: recorded / ((measureEnd - measureStart) / 1000),
  };
}

run(JSON.parse(process.argv[2] ?? '{}') as OpenLoopArgs).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: unknown) => {
    process.stderr.write(`open-loop: ${(err as Error).stack}\n`);
    process.exit(1);
  },
);
