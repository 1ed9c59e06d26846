/** Switchyard built with `npm run build`, run from dist via bin/switchyard.js with a generated config. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_KEY, benchKeys, CLIENT_KEY } from '../config/keys';
import { switchyardConfig } from '../config/switchyard-config';
import { freePort, spawnPinned, stopProcess } from './process';
import { type RequestCounts, type Target, waitReady } from './target';

/** Builds dist/ once per harness run, in this checkout or in `checkout` (another one's directory). */
export function buildSwitchyard(checkout?: string): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit', cwd: checkout });
}

/** The short commit of another checkout, for naming its target (`switchyard @ 22c89be`). */
export function checkoutCommit(checkout: string): string {
  return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: checkout }).toString().trim();
}

export interface SwitchyardStart {
  readonly name?: string;
  readonly core: number | null;
  readonly mockUrl: string;
  readonly workDir: string;
  readonly keys: number;
  readonly routes: number;
  readonly logLevel?: string;
  /** The upstream transport (`server.transport`); the build's default when unset. */
  readonly transport?: 'undici' | 'lean';
  /** Extra node flags, e.g. `--cpu-prof` for profiling. */
  readonly nodeFlags?: readonly string[];
  /** The scenarios this instance takes part in (all when absent). */
  readonly scenarios?: readonly string[];
  /** Another checkout whose dist/ to run (its own node_modules), e.g. a commit before a change. */
  readonly checkout?: string;
  /** `server.workers` (the `--workers` flag): the cluster's workers are counted with the primary. */
  readonly workers?: number | 'auto';
}

/** `switchyard_event_loop_delay_seconds{stat="p99"}` in ms, or undefined (older builds lack it). */
async function scrapeLoopDelayP99(origin: string): Promise<number | undefined> {
  const res = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  const text = await res.text();
  const match = /^switchyard_event_loop_delay_seconds\{stat="p99"\} (\S+)$/m.exec(text);
  return match ? Number(match[1]) * 1000 : undefined;
}

async function adminGet(origin: string, path: string): Promise<string> {
  const res = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  return res.text();
}

/**
 * Requests counted by the request log's rollups (`/admin/usage` writes what is queued before it
 * reads), by `switchyard_requests_total` (all series) and by the statistics' hour window.
 */
async function requestCounts(origin: string): Promise<RequestCounts> {
  const [usage, metrics, stats] = await Promise.all([
    adminGet(origin, '/admin/usage?group_by=client'),
    adminGet(origin, '/metrics'),
    adminGet(origin, '/admin/stats?window=hour&by=total'),
  ]);
  const rows = (JSON.parse(usage) as { data: { requests: number }[] }).data;
  let counted = 0;
  for (const match of metrics.matchAll(/^switchyard_requests_total\{[^}]*\} (\d+)$/gm))
    counted += Number(match[1]);
  return {
    log: rows.reduce((sum, row) => sum + row.requests, 0),
    metrics: counted,
    stats: (JSON.parse(stats) as { total: { requests: number } }).total.requests,
  };
}

/** A process's children: a cluster primary's workers (none for one process). */
function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Keys beyond this many go to a keys file instead of the YAML. */
const INLINE_KEYS = 100;

export async function startSwitchyard(options: SwitchyardStart): Promise<Target> {
  const port = await freePort();
  const id = `${options.keys}k-${options.routes}r-${port}`;
  const keys = benchKeys(options.keys);
  let keysFile: string | undefined;
  if (keys.length > INLINE_KEYS) {
    keysFile = join(options.workDir, `keys-${id}.txt`);
    writeFileSync(keysFile, `${keys.join('\n')}\n`);
  }
  const configPath = join(options.workDir, `switchyard-${id}.yaml`);
  writeFileSync(
    configPath,
    switchyardConfig({
      port,
      upstreamUrl: options.mockUrl,
      keys: keysFile ? undefined : keys,
      keysFile,
      routes: options.routes,
      storePath: join(options.workDir, `switchyard-${id}.db`),
      logLevel: options.logLevel,
      workers: options.workers,
      transport: options.transport,
    }),
  );
  const child = spawnPinned(
    options.core,
    process.execPath,
    [...(options.nodeFlags ?? []), 'bin/switchyard.js', '--config', configPath],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: options.checkout ?? process.cwd() },
  );
  const target: Target = {
    name: options.name ?? 'switchyard',
    origin: `http://127.0.0.1:${port}`,
    headers: { authorization: `Bearer ${CLIENT_KEY}` },
    pids: () => (child.exitCode === null ? [child.pid!, ...childPids(child.pid!)] : []),
    stop: () => stopProcess(child, 10_000),
    scenarios: options.scenarios,
    loopDelayP99: () => scrapeLoopDelayP99(`http://127.0.0.1:${port}`),
    requestCounts: () => requestCounts(`http://127.0.0.1:${port}`),
  };
  await waitReady(target);
  return target;
}
