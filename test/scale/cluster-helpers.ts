import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ClusterProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the primary and its workers wrote to stdout so far. */
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

/** Starts `switchyard --config FILE` (a cluster primary); resolves once every worker listens. */
export function startCluster(configPath: string): Promise<ClusterProcess> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--config', configPath], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolveStart, reject) => {
    const check = () => {
      const match = /switchyard listening on (http:\/\/[\d.:]+)/.exec(out);
      if (!match) return;
      child.stdout!.off('data', check);
      resolveStart({ child, url: match[1]!, output: () => out, exited });
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) =>
      reject(new Error(`cluster exited (${code}) before listening: ${err}${out}`)),
    );
  });
}

/** The pids of the primary's worker processes (not other children, such as tsx's esbuild service). */
export function workerPids(primary: ChildProcess): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(primary.pid), '-f', 'src/cli/main.ts'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export interface Answer {
  readonly status: number;
  /** The worker slot that answered (`x-switchyard-worker`). */
  readonly worker: string | undefined;
  readonly body: string;
}

/**
 * One request on a connection of its own (no keep-alive), so node:cluster hands successive
 * requests to different workers.
 */
export function send(
  url: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolveAnswer, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: options.method ?? (body ? 'POST' : 'GET'),
        agent: false,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolveAnswer({
            status: res.statusCode ?? 0,
            worker: res.headers['x-switchyard-worker'] as string | undefined,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${path} within 15 s`)));
    req.end(body);
  });
}

/** Runs `task` for 0…count-1, at most `width` at a time. */
export async function inParallel<T>(
  count: number,
  width: number,
  task: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
  return results;
}
