/**
 * Portkey's open-source gateway from npm, installed on demand into bench/.portkey (not a project
 * dependency), load-balancing the same mock with the same keys through its per-request config.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchKeys } from '../config/keys';
import { portkeyConfigHeader } from '../config/portkey-config';
import { freePort, spawnPinned, stopProcess } from './process';
import { type Target, waitReady } from './target';

export const PORTKEY_VERSION = '1.15.2';
const HOME = resolve('bench/.portkey');
const ENTRY = join(HOME, 'node_modules/@portkey-ai/gateway/build/start-server.js');

export function ensurePortkey(): void {
  const manifest = join(HOME, 'node_modules/@portkey-ai/gateway/package.json');
  if (existsSync(manifest) && existsSync(ENTRY)) return;
  process.stderr.write(`bench: installing @portkey-ai/gateway@${PORTKEY_VERSION} into bench/.portkey\n`);
  mkdirSync(HOME, { recursive: true });
  writeFileSync(join(HOME, 'package.json'), JSON.stringify({ name: 'bench-portkey', private: true }));
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', `@portkey-ai/gateway@${PORTKEY_VERSION}`],
    { cwd: HOME, stdio: 'ignore' },
  );
}

export interface PortkeyStart {
  readonly core: number | null;
  readonly mockUrl: string;
  readonly keys: number;
}

export async function startPortkey(options: PortkeyStart): Promise<Target> {
  const port = await freePort();
  const child = spawnPinned(options.core, process.execPath, [ENTRY, `--port=${port}`, '--headless'], {
    stdio: ['ignore', 'ignore', 'ignore'],
    cwd: HOME,
  });
  const target: Target = {
    name: 'portkey',
    origin: `http://127.0.0.1:${port}`,
    headers: { 'x-portkey-config': portkeyConfigHeader(options.mockUrl, benchKeys(options.keys)) },
    pids: () => (child.exitCode === null ? [child.pid!] : []),
    stop: () => stopProcess(child),
  };
  await waitReady(target, 30_000);
  return target;
}
