/**
 * `npm run bench:state`: what Redis-backed live state (`state.url`) costs per request. The same
 * Switchyard (one upstream, 10 keys, one client with an `rpm` limit) runs twice, without and with
 * `state.url` on the machine's Redis, under the same load, interleaved over three rounds:
 *
 * - closed loop, 1 connection (wrk): the wall time one request takes, so the difference is the
 *   latency Redis adds to a request;
 * - closed loop, 32 connections (wrk): throughput and the gateway's CPU per request;
 * - Redis `INFO commandstats` before and after each run: Redis commands per request, by command
 *   (commands a script runs count too: one EVALSHA of the limit script shows with its HGET…).
 *
 * Redis is a redis-server of the benchmark's own (on the harness core, no persistence), so no other
 * client's commands are counted. Options: --seconds N (per run, default 8), --rounds N (default 3).
 * Prints a markdown table (docs/benchmarks.md keeps the results).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { parse, stringify } from 'yaml';
import { benchKeys, CLIENT_KEY } from './config/keys';
import { switchyardConfig } from './config/switchyard-config';
import { requestsPerSecond, runWrk, totalErrors, type WrkResult } from './load/wrk';
import { cpuSeconds } from './measure/proc';
import { startMock } from './targets/mock';
import { freePort, spawnPinned, stopProcess } from './targets/process';
import { buildSwitchyard } from './targets/switchyard';
import { chatBody, type Target, waitReady } from './targets/target';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
  },
});
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const PREFIX = `sy-bench-${randomBytes(4).toString('hex')}`;

interface Variant {
  readonly name: string;
  readonly target: Target;
  readonly pid: number;
}

interface Run {
  readonly variant: string;
  readonly connections: number;
  readonly wrk: WrkResult;
  readonly cpuUsPerRequest: number;
  readonly redisCommands: Record<string, number>;
}

function log(message: string): void {
  process.stderr.write(`[bench:state ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function startVariant(
  name: string,
  redisUrl: string | undefined,
  mockUrl: string,
  dir: string,
  core: number | null,
) {
  const shared = redisUrl !== undefined;
  const port = await freePort();
  const config = parse(
    switchyardConfig({
      port,
      upstreamUrl: mockUrl,
      keys: benchKeys(10),
      routes: 0,
      storePath: join(dir, `${name}.db`),
      logLevel: 'warn',
    }),
  ) as Record<string, Record<string, unknown>>;
  delete config.server!.auth_keys;
  config.clients = [{ name: 'bench', key: CLIENT_KEY, limits: { rpm: 100_000_000 } }] as never;
  if (shared) config.state = { url: redisUrl, prefix: PREFIX };
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(config));
  const child = spawnPinned(core, process.execPath, ['bin/switchyard.js', '--config', path], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const target: Target = {
    name,
    origin: `http://127.0.0.1:${port}`,
    headers: { authorization: `Bearer ${CLIENT_KEY}` },
    pids: () => (child.exitCode === null ? [child.pid!] : []),
    stop: () => stopProcess(child, 10_000),
  };
  await waitReady(target);
  return { variant: { name, target, pid: child.pid! }, stop: target.stop };
}

/** A redis-server of the benchmark's own on a free port, without persistence. */
async function startRedisServer(core: number | null): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawnPinned(core, 'redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { url: `redis://127.0.0.1:${port}/0`, stop: () => stopProcess(child) };
}

async function commandStats(redis: Redis): Promise<Record<string, number>> {
  const text = await redis.info('commandstats');
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/^cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/gm))
    out[match[1]!] = Number(match[2]);
  return out;
}

function difference(after: Record<string, number>, before: Record<string, number>, requests: number) {
  const out: Record<string, number> = {};
  for (const [command, calls] of Object.entries(after)) {
    const delta = calls - (before[command] ?? 0);
    // INFO itself is the harness's, one call per reading.
    if (delta > 0 && command !== 'info') out[command] = delta / requests;
  }
  return out;
}

async function measure(
  variant: Variant,
  connections: number,
  redis: Redis,
  core: number | null,
): Promise<Run> {
  const beforeCommands = await commandStats(redis);
  const beforeCpu = cpuSeconds([variant.pid]);
  const wrk = await runWrk({ target: variant.target, core, connections, seconds: SECONDS, body: chatBody() });
  const cpu = cpuSeconds([variant.pid]) - beforeCpu;
  const redisCommands = difference(await commandStats(redis), beforeCommands, wrk.requests);
  return {
    variant: variant.name,
    connections,
    wrk,
    cpuUsPerRequest: (cpu * 1e6) / wrk.requests,
    redisCommands,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function table(runs: readonly Run[]): string {
  const rows = [
    '| variant | connections | req/s | p50 µs | p99 µs | gateway CPU µs/request | Redis commands/request | errors |',
  ];
  rows.push('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const key = `${run.variant}\t${run.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  for (const [key, group] of groups) {
    const [variant, connections] = key.split('\t');
    const commands = group[group.length - 1]!.redisCommands;
    const shown = Object.entries(commands)
      .filter(([, n]) => n >= 0.01)
      .map(([command, n]) => `${command} ${n.toFixed(2)}`)
      .join(', ');
    rows.push(
      `| ${variant} | ${connections} | ${Math.round(median(group.map((r) => requestsPerSecond(r.wrk))))} | ${Math.round(median(group.map((r) => r.wrk.latencyUs.p50)))} | ${Math.round(median(group.map((r) => r.wrk.latencyUs.p99)))} | ${median(group.map((r) => r.cpuUsPerRequest)).toFixed(1)} | ${shown || '—'} | ${group.reduce((n, r) => n + totalErrors(r.wrk), 0)} |`,
    );
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const twoCores = cpus().length >= 2;
  const gatewayCore = twoCores ? 1 : null;
  const harnessCore = twoCores ? 0 : null;
  buildSwitchyard();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-state-'));
  const mock = await startMock({ core: harnessCore, chunks: 5, intervalMs: 0, delayMs: 0 });
  const server = await startRedisServer(harnessCore);
  const redis = new Redis(server.url);
  const local = await startVariant('memory (no state.url)', undefined, mock.url, dir, gatewayCore);
  const shared = await startVariant('Redis (state.url)', server.url, mock.url, dir, gatewayCore);
  const runs: Run[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const connections of [1, 32]) {
        for (const { variant } of round % 2 ? [local, shared] : [shared, local]) {
          log(`round ${round}: ${variant.name}, ${connections} connection(s)`);
          runs.push(await measure(variant, connections, redis, harnessCore));
        }
      }
    }
  } finally {
    await Promise.all([local.stop(), shared.stop(), mock.stop()]);
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  process.stdout.write(
    `Commit ${commit}, ${new Date().toISOString().slice(0, 16)} UTC, ${ROUNDS} rounds of ${SECONDS} s (medians)\n\n${table(runs)}\n`,
  );
}

void main();
