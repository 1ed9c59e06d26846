/** Child processes of the harness: pinned to a core, stopped by their own id, never left behind. */
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const running = new Set<ChildProcess>();
let niceness = 0;

/**
 * Scheduling priority of every process the harness starts (and of the harness itself): a negative
 * value keeps other work on a shared machine from distorting the figures. With the kernel's
 * autogroup scheduling, nice only ranks processes within a session, so the session's autogroup
 * gets the same value (restored at exit).
 */
export function setNiceness(value: number): void {
  niceness = value;
  if (value === 0) return;
  execFileSync('renice', ['-n', String(value), '-p', String(process.pid)], { stdio: 'ignore' });
  const autogroup = '/proc/self/autogroup';
  if (!existsSync(autogroup)) return;
  const before = /nice (-?\d+)/.exec(readFileSync(autogroup, 'utf8'))?.[1];
  try {
    writeFileSync(autogroup, String(value));
    process.once('exit', () => writeFileSync(autogroup, before ?? '0'));
  } catch {
    // not permitted: nice alone then
  }
}

/** Starts `command` pinned to `core` with taskset (unpinned when core is null). */
export function spawnPinned(
  core: number | null,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess {
  const pinned = core === null ? [command, ...args] : ['taskset', '-c', String(core), command, ...args];
  const argv = niceness === 0 ? pinned : ['nice', '-n', String(niceness), ...pinned];
  const child = spawn(argv[0]!, argv.slice(1), options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Sends SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The first stdout line of a child that prints JSON when ready (the mock, the load clients). */
export function firstJsonLine<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) {
      reject(new Error('child has no stdout pipe'));
      return;
    }
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as T);
      } catch (err) {
        reject(new Error(`not JSON: ${line.slice(0, 200)} (${(err as Error).message})`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before answering`));
    });
  });
}

/** Runs a child to completion and parses the last JSON line it printed. */
export async function runForJson<T>(child: ChildProcess): Promise<T> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const last = out.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{'))
    throw new Error(`exit ${code}, no JSON result: ${err.slice(-500) || out.slice(-500)}`);
  return JSON.parse(last) as T;
}

/** A port nobody listens on right now, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
