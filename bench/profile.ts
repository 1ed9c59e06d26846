/**
 * `npm run bench:profile`: runs Switchyard under `node --cpu-prof` with the throughput load
 * (64 connections, wrk) and prints the functions and areas with the most self time.
 * Options: --seconds N (default 10), --stream (profile 1,000 SSE streams instead), --log-level L.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runSseClient } from './load/children';
import { requestsPerSecond, runWrk } from './load/wrk';
import { type CpuProfile, selfTimes } from './report/cpu-profile';
import { markdownTable, percent } from './report/table';
import { startMock } from './targets/mock';
import { setNiceness } from './targets/process';
import { buildSwitchyard, startSwitchyard } from './targets/switchyard';
import { CHAT_PATH, chatBody } from './targets/target';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    stream: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    nice: { type: 'string', default: '-20' },
  },
});

async function main(): Promise<void> {
  setNiceness(Number(values.nice));
  buildSwitchyard();
  const workDir = mkdtempSync(join(tmpdir(), 'switchyard-profile-'));
  const profileDir = resolve('bench/results/profiles');
  mkdirSync(profileDir, { recursive: true });
  const before = new Set(readdirSync(profileDir));
  const mock = await startMock({ core: 0, chunks: 50, intervalMs: 20, delayMs: 60 });
  const target = await startSwitchyard({
    core: 1,
    mockUrl: mock.url,
    workDir,
    keys: 10,
    routes: 0,
    logLevel: values['log-level'],
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  });
  try {
    if (values.stream) {
      const result = await runSseClient(0, {
        origin: target.origin,
        path: CHAT_PATH,
        headers: { ...target.headers },
        body: chatBody({ stream: true }),
        streams: 1000,
        rampMs: 1000,
        chunks: 50,
        timeoutMs: 60_000,
      });
      process.stdout.write(`streams: ${result.completed} completed, ${result.errors} errors\n`);
    } else {
      const result = await runWrk({
        target,
        core: 0,
        connections: 64,
        seconds: Number(values.seconds),
        body: chatBody(),
      });
      process.stdout.write(`throughput under the profiler: ${Math.round(requestsPerSecond(result))} req/s\n`);
    }
  } finally {
    await target.stop();
    await mock.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  const file = readdirSync(profileDir).find((name) => !before.has(name) && name.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile was written');
  const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
  const { functions, areas } = selfTimes(profile, 30);
  process.stdout.write(`\nprofile: bench/results/profiles/${file}\n\n`);
  process.stdout.write(
    `${markdownTable(
      ['area', 'self time'],
      areas.map((a) => [a.name, percent(a.share)]),
    )}\n\n`,
  );
  process.stdout.write(
    `${markdownTable(
      ['function', 'where', 'self time'],
      functions.map((f) => [f.name, f.where, `${(f.share * 100).toFixed(1)} %`]),
    )}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`profile failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
