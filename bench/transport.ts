/**
 * `npm run bench:transport`: the upstream clients alone (UndiciTransport and LeanTransport behind
 * the Transport seam), CPU per request against the bench mock. The mock runs in a child process on
 * core 0, this process on core 1; rounds alternate the transports (A, B, B, A, …) so load from
 * other work falls on both alike. CPU time (user + system) of this process per request is the
 * figure to compare; req/s is shown but follows the machine's load.
 *
 * Options: --rounds N (default 6), --requests N per round (default 20000), --concurrency N (64),
 * --only undici|lean (one transport, one round).
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { LeanTransport } from '../src/adapter/node/lean/transport';
import { UndiciTransport } from '../src/adapter/node/transport';
import { healthSchema } from '../src/config/schema/health';
import { upstreamSchema } from '../src/config/schema/upstream';
import type { Transport, UpstreamHandler, UpstreamRequest } from '../src/proxy/transport';
import { createUpstream } from '../src/routing/upstream';
import { benchKeys } from './config/keys';
import { markdownTable } from './report/table';
import { startMock } from './targets/mock';
import { chatBody } from './targets/target';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    only: { type: 'string' },
  },
});

const body = new TextEncoder().encode(chatBody());
const request: UpstreamRequest = {
  path: '/v1/chat/completions',
  method: 'POST',
  headers: [
    'content-type',
    'application/json',
    'authorization',
    `Bearer ${benchKeys(1)[0]}`,
    'user-agent',
    'switchyard-bench',
    'x-request-id',
    '6f1c1a52-9d7b-4f7e-8a57-3b0b1f1f2a11',
    'content-length',
    String(body.length),
  ],
  body,
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
};

/** Sends `total` requests, `concurrency` at a time; resolves with the bytes of answer received. */
function drive(
  transport: Transport,
  upstream: Parameters<Transport['dispatch']>[0],
  total: number,
  concurrency: number,
) {
  return new Promise<number>((resolve, reject) => {
    let sent = 0;
    let done = 0;
    let bytes = 0;
    const handler: UpstreamHandler = {
      onStart: () => {},
      onHead: (status) => {
        if (status !== 200) reject(new Error(`status ${status}`));
      },
      onData: (chunk) => {
        bytes += chunk.length;
      },
      onEnd: () => {
        done++;
        if (done === total) resolve(bytes);
        else if (sent < total) next();
      },
      onError: reject,
    };
    const next = () => {
      sent++;
      transport.dispatch(upstream, request, handler);
    };
    for (let i = 0; i < Math.min(concurrency, total); i++) next();
  });
}

async function round(name: string, url: string, total: number, concurrency: number) {
  const transport = name === 'lean' ? new LeanTransport() : new UndiciTransport();
  const upstream = createUpstream(
    upstreamSchema.parse({ name: 'mock', url }),
    healthSchema.parse({}),
    Math.random,
  );
  await drive(transport, upstream, Math.min(2000, total), concurrency); // warm-up: connections, JIT
  const cpu = process.cpuUsage();
  const start = performance.now();
  await drive(transport, upstream, total, concurrency);
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await transport.close();
  return { cpuUs: (used.user + used.system) / total, rps: (total / wall) * 1000 };
}

async function main(): Promise<void> {
  const twoCores = cpus().length >= 2;
  if (twoCores) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const mock = await startMock({ core: twoCores ? 0 : null, chunks: 10, intervalMs: 0, delayMs: 0 });
  const total = Number(values.requests);
  const concurrency = Number(values.concurrency);
  try {
    if (values.only) {
      const figures = await round(values.only, mock.url, total, concurrency);
      process.stdout.write(`${values.only}: ${figures.cpuUs.toFixed(1)} µs CPU/request\n`);
      return;
    }
    const rows: string[][] = [];
    const cpu: Record<string, number[]> = { undici: [], lean: [] };
    for (let i = 0; i < Number(values.rounds); i++) {
      const order = i % 2 === 0 ? ['undici', 'lean'] : ['lean', 'undici'];
      for (const name of order) {
        const figures = await round(name, mock.url, total, concurrency);
        cpu[name]!.push(figures.cpuUs);
        rows.push([
          String(i + 1),
          name,
          figures.cpuUs.toFixed(1),
          Math.round(figures.rps).toLocaleString('en'),
        ]);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    process.stdout.write(`${markdownTable(['round', 'transport', 'CPU µs/req', 'req/s'], rows)}\n\n`);
    process.stdout.write(
      `median CPU µs/req: undici ${median(cpu.undici!).toFixed(1)}, lean ${median(cpu.lean!).toFixed(1)}\n`,
    );
  } finally {
    await mock.stop();
  }
}

await main();
