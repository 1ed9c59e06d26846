/** What a result was measured on: commit, machine, versions. */
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';

function quiet(command: string): string {
  try {
    return execSync(command, { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim();
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || 'unknown';
  }
}

export interface Meta {
  readonly date: string;
  readonly commit: string;
  readonly dirty: boolean;
  readonly node: string;
  readonly nginx: string;
  readonly wrk: string;
  readonly portkey: string;
  readonly cpu: string;
  readonly cores: number;
  readonly openFiles: number;
  readonly quick: boolean;
}

export function collectMeta(quick: boolean, portkeyVersion: string, openFiles: number): Meta {
  return {
    date: new Date().toISOString(),
    commit: quiet('git rev-parse --short=12 HEAD'),
    dirty: quiet('git status --porcelain -- src bench scripts package.json') !== '',
    node: process.version,
    nginx: quiet('nginx -v 2>&1').replace('nginx version: ', ''),
    wrk: quiet('wrk -v 2>&1 | head -1').split(' ')[1] ?? 'unknown',
    portkey: portkeyVersion,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    openFiles,
    quick,
  };
}
