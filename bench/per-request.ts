/**
 * `npm run bench:per-request`: what one request costs the gateway, as a figure that repeats on a
 * shared machine. Switchyard (dist/, default configuration) serves N requests from a closed-loop
 * client against the mock; reported per request: the gateway process's CPU time (all threads,
 * from /proc), or with `--callgrind` the instructions it executed (valgrind; slow, steady to
 * about 1 %), and with `--trace-gc` the collections it ran.
 *
 * Options: --requests N (measured per round, default 20000; 3000 with --callgrind), --warmup N
 * (default 5000; 2000 with --callgrind), --rounds R (default 3; the median is reported),
 * --connections C (default 16), --keys K, --routes M (see ROUTES_WITH_MATCH), --stored (seed
 * 10 million request-log rows, see stored.ts, and compare a gateway on that store with 100,000
 * keys and 1,000 routes (or --keys, --routes) against one on an empty store with 10 keys and
 * no route, rounds alternating; --rows N seeds another count), --log-level L, --baseline DIR (repeatable: another checkout's dist measured too,
 * its rounds alternating with this one's, for a before/after under the same load), --cpu-prof
 * DIR (the gateway's CPU profile), --no-build, --nice N (default 0).
 *
 * With --callgrind, V8 is still compiling during the first rounds: use a long warm-up and
 * compare late rounds only.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { benchKeys, CLIENT_KEY } from './config/keys';
import { switchyardConfig } from './config/switchyard-config';
import { seedStore } from './stored';
import { startMock } from './targets/mock';
import { freePort, setNiceness, sleep, spawnPinned, stopProcess } from './targets/process';
import { buildSwitchyard, checkoutCommit } from './targets/switchyard';
import { CHAT_PATH, chatBody, waitReady } from './targets/target';

const { values } = parseArgs({
  options: {
    requests: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    keys: { type: 'string' },
    routes: { type: 'string' },
    stored: { type: 'boolean', default: false },
    rows: { type: 'string', default: '10000000' },
    callgrind: { type: 'boolean', default: false },
    'trace-gc': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    baseline: { type: 'string', multiple: true },
    'no-build': { type: 'boolean', default: false },
    nice: { type: 'string', default: '0' },
  },
});

const callgrind = values.callgrind === true;
const REQUESTS = Number(values.requests ?? (callgrind ? 3000 : 20_000));
const WARMUP = Number(values.warmup ?? (callgrind ? 2000 : 5000));
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** utime + stime of a process (all its threads), in microseconds. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

/** Sends `count` requests over `pool`, `CONNECTIONS` at a time; returns the non-200 answers. */
async function send(pool: Pool, count: number): Promise<number> {
  const body = chatBody();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` };
  let next = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const res = await pool.request({ method: 'POST', path: CHAT_PATH, headers, body });
      const text = await res.body.text();
      if (res.statusCode !== 200) {
        if (failed === 0) process.stderr.write(`first failure: ${res.statusCode} ${text.slice(0, 300)}\n`);
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return failed;
}

/** callgrind_control: zero the counters, or dump them and return the instructions since. */
async function callgrindControl(pid: number, action: 'zero' | 'dump', outDir: string): Promise<number> {
  if (action === 'zero') {
    execFileSync('callgrind_control', ['-z', String(pid)], { stdio: 'ignore' });
    return 0;
  }
  execFileSync('callgrind_control', ['-d', String(pid)], { stdio: 'ignore' });
  const dumps = () =>
    execFileSync('sh', ['-c', `ls ${outDir}/callgrind.out.${pid}.* 2>/dev/null || true`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean);
  const deadline = Date.now() + 60_000;
  while (dumps().length === 0 && Date.now() < deadline) await sleep(200);
  const files = dumps();
  if (files.length === 0) throw new Error('callgrind wrote no dump');
  let total = 0;
  for (const file of files) {
    const summary = /^(?:summary|totals): (\d+)/m.exec(readFileSync(file, 'utf8'));
    total += Number(summary?.[1] ?? 0);
    rmSync(file);
  }
  return total;
}

function gcEvents(out: string[]): { scavenges: number; markCompacts: number } {
  let scavenges = 0;
  let markCompacts = 0;
  for (const line of out.splice(0).join('').split('\n')) {
    if (line.includes(': Scavenge')) scavenges++;
    else if (line.includes(': Mark-Compact') || line.includes(': Mark-sweep')) markCompacts++;
  }
  return { scavenges, markCompacts };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Gateway {
  readonly name: string;
  readonly setup: Setup;
  readonly child: ChildProcess;
  readonly pool: Pool;
  /** --trace-gc output not read yet. */
  readonly out: string[];
  readonly figures: number[];
  readonly gc: { scavenges: number; markCompacts: number }[];
}

interface Setup {
  readonly workDir: string;
  readonly storePath: string;
  readonly mockUrl: string;
  readonly keys: number;
  readonly routes: number;
  /** What the store held at start ('empty' or 'seeded'). */
  readonly stored: string;
}

/** Starts one checkout's gateway on core 1 with the benchmark's configuration. */
async function startGateway(checkout: string, setup: Setup, index: number): Promise<Gateway> {
  const port = await freePort();
  const keyList = benchKeys(setup.keys);
  const keysFile = setup.keys > 100 ? join(setup.workDir, `keys-${index}.txt`) : undefined;
  if (keysFile) writeFileSync(keysFile, `${keyList.join('\n')}\n`);
  const configPath = join(setup.workDir, `switchyard-${index}.yaml`);
  const storePath = setup.storePath.replace(/\.db$/, `-${index}.db`);
  if (setup.stored === 'seeded') renameSync(setup.storePath, storePath);
  const config = switchyardConfig({
    port,
    upstreamUrl: setup.mockUrl,
    keys: keysFile ? undefined : keyList,
    keysFile,
    routes: setup.routes,
    storePath,
    logLevel: values['log-level'],
  });
  writeFileSync(configPath, config);
  const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values['cpu-prof'])}`] : [];
  const traceGc = values['trace-gc'] ? ['--trace-gc'] : [];
  const nodeArgs = [...traceGc, ...profile, 'bin/switchyard.js', '--config', configPath];
  const valgrind = [
    'valgrind',
    '--tool=callgrind',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${setup.workDir}/callgrind.out.%p.x`,
    '--dump-instr=no',
    '--dump-line=no',
  ];
  const command = [...(callgrind ? valgrind : []), process.execPath, ...nodeArgs];
  const out: string[] = [];
  const child = spawnPinned(1, command[0]!, command.slice(1), {
    stdio: ['ignore', values['trace-gc'] ? 'pipe' : 'ignore', 'inherit'],
    cwd: checkout,
  });
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${CLIENT_KEY}` };
  try {
    await waitReady({ origin, headers: auth, name: 'switchyard' }, callgrind ? 600_000 : 120_000);
  } catch (err) {
    await stopProcess(child, 20_000);
    throw err;
  }
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: checkout });
  const commit = checkoutCommit(checkout) + (dirty.length > 0 ? '+' : '');
  const where = checkout === process.cwd() ? '' : ` (${checkout})`;
  const shape = `${setup.stored} store, ${setup.keys} keys, ${setup.routes} routes`;
  return { name: `${commit}${where}, ${shape}`, setup, child, pool, out, figures: [], gc: [] };
}

/** One measured batch against one gateway: its CPU µs (or instructions) per request. */
async function measureRound(gateway: Gateway, workDir: string): Promise<string> {
  const pid = gateway.child.pid!;
  gcEvents(gateway.out);
  if (callgrind) await callgrindControl(pid, 'zero', workDir);
  const before = cpuMicros(pid);
  const failed = await send(gateway.pool, REQUESTS);
  await sleep(200); // accounting runs on a later turn; the writer thread's batch too
  const figure = callgrind
    ? (await callgrindControl(pid, 'dump', workDir)) / REQUESTS
    : (cpuMicros(pid) - before) / REQUESTS;
  gateway.figures.push(figure);
  const gc = gcEvents(gateway.out);
  gateway.gc.push(gc);
  const unit = callgrind ? 'instructions/req' : 'CPU µs/req';
  const gcText = values['trace-gc'] ? `, ${gc.scavenges} scavenges, ${gc.markCompacts} mark-compacts` : '';
  return `${figure.toFixed(callgrind ? 0 : 1)} ${unit}, ${failed} failed${gcText}`;
}

function summary(gateway: Gateway, first: Gateway): Record<string, unknown> {
  const { setup } = gateway;
  const ratios = gateway.figures.map((figure, i) => figure / first.figures[i]!);
  const gc = values['trace-gc']
    ? {
        scavengesPer10k: median(gateway.gc.map((g) => (g.scavenges * 10_000) / REQUESTS)),
        markCompacts: gateway.gc.map((g) => g.markCompacts),
      }
    : {};
  return {
    gateway: gateway.name,
    measure: callgrind ? 'instructions per request' : 'CPU µs per request',
    median: Math.round(median(gateway.figures) * 10) / 10,
    rounds: gateway.figures.map((f) => Math.round(f * 10) / 10),
    requests: REQUESTS,
    keys: setup.keys,
    routes: setup.routes,
    stored: setup.stored,
    ...(gateway === first ? {} : { pairedRatio: Math.round(median(ratios) * 1000) / 1000 }),
    ...gc,
  };
}

async function main(): Promise<void> {
  setNiceness(Number(values.nice));
  const here = process.cwd();
  const checkouts = [here, ...(values.baseline ?? []).map((dir) => resolve(dir))];
  if (!values['no-build']) for (const checkout of checkouts) buildSwitchyard(checkout);
  const workDir = mkdtempSync(join(tmpdir(), 'switchyard-per-request-'));
  const mock = await startMock({ core: 0, chunks: 50, intervalMs: 20, delayMs: 60 });
  const setup: Setup = {
    workDir,
    storePath: join(workDir, 'store.db'),
    mockUrl: mock.url,
    keys: values.stored ? 10 : Number(values.keys ?? 10),
    routes: values.stored ? 0 : Number(values.routes ?? 0),
    stored: 'empty',
  };
  const runs: [string, Setup][] = values.stored
    ? [
        [here, setup],
        [
          here,
          {
            ...setup,
            keys: Number(values.keys ?? 100_000),
            routes: Number(values.routes ?? 1000),
            stored: 'seeded',
          },
        ],
      ]
    : checkouts.map((checkout) => [checkout, setup]);
  const gateways: Gateway[] = [];
  try {
    if (values.stored) {
      const seeded = seedStore(setup.storePath, Number(values.rows));
      process.stdout.write(`seeded ${seeded.rows.toLocaleString('en-US')} rows in ${seeded.seconds} s\n`);
    }
    for (const [i, [checkout, shape]] of runs.entries())
      gateways.push(await startGateway(checkout, shape, i));
    for (const gateway of gateways) await send(gateway.pool, WARMUP);
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternating order (A, B, then B, A): neither gateway always runs first after a pause.
      const order = round % 2 === 1 ? gateways : [...gateways].reverse();
      for (const gateway of order)
        process.stdout.write(`round ${round} ${gateway.name}: ${await measureRound(gateway, workDir)}\n`);
    }
    for (const gateway of gateways)
      process.stdout.write(`${JSON.stringify(summary(gateway, gateways[0]!))}\n`);
  } finally {
    for (const gateway of gateways) {
      await gateway.pool.close();
      await stopProcess(gateway.child, 20_000);
    }
    await mock.stop();
    if (existsSync(workDir)) rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`per-request failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
