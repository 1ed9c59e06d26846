/** Closed-loop throughput with wrk (C, one thread, so it leaves the harness core room for the mock). */
import { runForJson, spawnPinned } from '../targets/process';
import { CHAT_PATH, type Target } from '../targets/target';

export interface WrkResult {
  readonly requests: number;
  readonly durationUs: number;
  readonly errors: { connect: number; read: number; write: number; status: number; timeout: number };
  readonly latencyUs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
}

export interface WrkRun {
  readonly target: Target;
  readonly core: number | null;
  readonly connections: number;
  readonly seconds: number;
  readonly body: string;
}

export function runWrk(run: WrkRun): Promise<WrkResult> {
  const headers = Object.entries(run.target.headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
  const child = spawnPinned(
    run.core,
    'wrk',
    [
      '-t1',
      `-c${run.connections}`,
      `-d${run.seconds}s`,
      '--timeout',
      '10s',
      '-s',
      'bench/load/report.lua',
      run.target.origin + CHAT_PATH,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRK_BODY: run.body, WRK_HEADERS: headers } },
  );
  return runForJson<WrkResult>(child);
}

export function totalErrors(result: WrkResult): number {
  const e = result.errors;
  return e.connect + e.read + e.write + e.status + e.timeout;
}

export function requestsPerSecond(result: WrkResult): number {
  return result.requests / (result.durationUs / 1e6);
}
