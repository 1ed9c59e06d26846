/**
 * `npm run bench`: measures direct, Switchyard, nginx and Portkey's gateway side by side and
 * prints markdown tables (also bench/results/latest.md) plus a JSON file in bench/results/.
 * Options: --quick (short runs for development), --only=throughput,fixed-rate,realistic,streams,scale,
 * --targets=direct,switchyard,lean,nginx,portkey,floor (and the opt-in quiet), --baseline=DIR (another
 * checkout, e.g. a commit before a change, run as one more target), --workers=auto|N (one more
 * target: Switchyard with `server.workers`; nothing is pinned then, so both Switchyard targets may
 * use every core). See bench/README.md and docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openFilesLimit } from './measure/proc';
import type { Cores } from './measure/window';
import { collectMeta } from './report/meta';
import { type BenchResults, renderMarkdown, writeResults } from './report/render';
import { type BenchContext, makePlan } from './scenarios/context';
import { runFixedRate, runRealistic } from './scenarios/fixed-rate';
import { runScale } from './scenarios/scale';
import { runStreams } from './scenarios/streams';
import { runThroughput } from './scenarios/throughput';
import { startBareProxy } from './targets/bare';
import { directTarget } from './targets/direct';
import { startMock } from './targets/mock';
import { ensureDebianTools, startNginx } from './targets/nginx';
import { ensurePortkey, PORTKEY_VERSION, startPortkey } from './targets/portkey';
import { setNiceness } from './targets/process';
import { buildSwitchyard, checkoutCommit, startSwitchyard } from './targets/switchyard';
import type { Target } from './targets/target';

const SCENARIOS = ['throughput', 'fixed-rate', 'realistic', 'streams', 'scale'] as const;
const TARGETS = ['direct', 'switchyard', 'lean', 'nginx', 'portkey', 'floor'] as const;
// Opt-in targets, not in the default list: `quiet`, Switchyard with log_level warn (what the
// per-request log line costs), in the throughput and fixed-rate scenarios; `raw`, the raw-socket
// proxy experiment (bench/bare/raw-proxy.ts), in the throughput scenario.
const KEYS = 10;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: SCENARIOS.join(',') },
    targets: { type: 'string', default: TARGETS.join(',') },
    nice: { type: 'string', default: '-20' },
    baseline: { type: 'string', multiple: true, default: [] },
    workers: { type: 'string' },
  },
});
const only = new Set(values.only.split(','));
const wanted = new Set(values.targets.split(','));

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

/** Gateway on core 1, mock + load generators + this process on core 0, when there are two. */
function chooseCores(): Cores | null {
  if (cpus().length < 2) return null;
  execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  return { gateway: 1, harness: 0 };
}

async function startTargets(ctx: Omit<BenchContext, 'targets'>, openFiles: number): Promise<Target[]> {
  const core = ctx.cores?.gateway ?? null;
  const targets: Target[] = [];
  if (wanted.has('direct')) targets.push(directTarget(ctx.mock.url));
  if (wanted.has('switchyard')) {
    targets.push(
      await startSwitchyard({ core, mockUrl: ctx.mock.url, workDir: ctx.workDir, keys: KEYS, routes: 0 }),
    );
  }
  if (wanted.has('lean')) {
    targets.push(
      await startSwitchyard({
        name: 'switchyard (lean)',
        core,
        mockUrl: ctx.mock.url,
        workDir: ctx.workDir,
        keys: KEYS,
        routes: 0,
        transport: 'lean',
      }),
    );
  }
  for (const checkout of values.baseline) {
    targets.push(
      await startSwitchyard({
        name: `switchyard @ ${checkoutCommit(checkout)}`,
        checkout,
        core,
        mockUrl: ctx.mock.url,
        workDir: ctx.workDir,
        keys: KEYS,
        routes: 0,
        scenarios: ['throughput', 'fixed-rate', 'realistic'],
      }),
    );
  }
  if (wanted.has('nginx')) {
    targets.push(
      await startNginx({
        core,
        mockUrl: ctx.mock.url,
        workDir: ctx.workDir,
        keys: KEYS,
        workers: 1,
        workerConnections: openFiles - 100,
      }),
    );
  }
  if (wanted.has('portkey')) targets.push(await startPortkey({ core, mockUrl: ctx.mock.url, keys: KEYS }));
  if (wanted.has('quiet')) {
    targets.push(
      await startSwitchyard({
        name: 'switchyard (log warn)',
        core,
        mockUrl: ctx.mock.url,
        workDir: ctx.workDir,
        keys: KEYS,
        routes: 0,
        logLevel: 'warn',
        scenarios: ['throughput', 'fixed-rate'],
      }),
    );
  }
  if (values.workers) {
    const workers = values.workers === 'auto' ? 'auto' : Number(values.workers);
    targets.push(
      await startSwitchyard({
        name: `switchyard (workers: ${values.workers})`,
        core,
        mockUrl: ctx.mock.url,
        workDir: ctx.workDir,
        keys: KEYS,
        routes: 0,
        workers,
        scenarios: ['throughput', 'fixed-rate'],
      }),
    );
  }
  if (wanted.has('floor')) targets.push(await startBareProxy({ core, mockUrl: ctx.mock.url, keys: KEYS }));
  if (wanted.has('raw')) {
    targets.push(await startBareProxy({ core, mockUrl: ctx.mock.url, keys: KEYS, kind: 'raw' }));
  }
  return targets;
}

async function main(): Promise<void> {
  const began = performance.now();
  // Workers need every core: with --workers nothing is pinned, for either Switchyard target.
  const cores = values.workers ? null : chooseCores();
  setNiceness(Number(values.nice));
  const openFiles = openFilesLimit();
  const bigStreams = Math.min(10_000, Math.floor((openFiles - 400) / 2 / 100) * 100);
  const plan = makePlan(values.quick, bigStreams);
  log(
    `cores ${cores ? `gateway ${cores.gateway}, harness ${cores.harness}` : 'unpinned'}; open files ${openFiles}`,
  );
  ensureDebianTools({ wrk: 'wrk', ...(wanted.has('nginx') ? { nginx: 'nginx-light' } : {}) });
  if (wanted.has('portkey')) ensurePortkey();
  buildSwitchyard();
  for (const checkout of values.baseline) buildSwitchyard(checkout);
  const workDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const mock = await startMock({
    core: cores?.harness ?? null,
    chunks: plan.streams.chunks,
    intervalMs: plan.streams.intervalMs,
    delayMs: 60,
  });
  const base = { plan, cores, mock, workDir, log };
  const targets = await startTargets(base, openFiles);
  const ctx: BenchContext = {
    ...base,
    targets,
    startWideNginx: () =>
      startNginx({
        core: cores?.gateway ?? null,
        mockUrl: mock.url,
        workDir,
        keys: KEYS,
        workers: 3,
        workerConnections: openFiles - 100,
      }),
  };
  const results: BenchResults = {
    meta: collectMeta(values.quick, PORTKEY_VERSION, openFiles),
    failures: {},
  };
  const scenario = async (name: string, run: () => Promise<void>) => {
    if (!only.has(name)) return;
    log(`scenario ${name}`);
    try {
      await run();
    } catch (err) {
      results.failures[name] = (err as Error).message;
      log(`scenario ${name} failed: ${(err as Error).stack}`);
    }
  };
  try {
    await scenario('throughput', async () => {
      results.throughput = await runThroughput(ctx);
    });
    await scenario('fixed-rate', async () => {
      results.fixedRate = await runFixedRate(ctx);
    });
    await scenario('realistic', async () => {
      results.realistic = await runRealistic(ctx);
    });
    await scenario('streams', async () => {
      results.streams = await runStreams(ctx, openFiles);
    });
    await scenario('scale', async () => {
      results.scale = await runScale(ctx);
    });
  } finally {
    for (const target of targets) await target.stop();
    await mock.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  results.wallSeconds = (performance.now() - began) / 1000;
  const markdown = renderMarkdown(results, plan.streams.intervalMs);
  const complete = SCENARIOS.every((name) => only.has(name)) && Object.keys(results.failures).length === 0;
  const file = writeResults('bench/results', results, markdown, complete);
  process.stdout.write(`\n${markdown}\n`);
  log(`results: ${file}; wall time ${results.wallSeconds.toFixed(0)} s`);
}

main().catch((err: unknown) => {
  log(`failed: ${(err as Error).stack}`);
  process.exit(1);
});
