import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ChildGateway {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

/** Starts `switchyard --config FILE` as a real child process; resolves once it listens. */
export function startChildGateway(configPath: string): Promise<ChildGateway> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--config', configPath], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolveStart, reject) => {
    let out = '';
    let err = '';
    let listening = false;
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (listening) return;
      out += d.toString();
      const match = /switchyard listening on (http:\/\/[\d.:]+)/.exec(out);
      if (!match) return;
      listening = true;
      resolveStart({ child, url: match[1]!, exited });
    });
    child.once('exit', (code) => {
      if (!listening) reject(new Error(`gateway exited (${code}) before listening: ${err}${out}`));
    });
  });
}

/** Kills the child with SIGKILL (if it still runs) and waits for it to be gone. */
export async function killChild(running: ChildGateway): Promise<void> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  await running.exited;
}
