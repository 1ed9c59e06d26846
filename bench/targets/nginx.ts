/** nginx from Debian's packages (installed when missing), as the classic multi-key reverse proxy. */
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchKeys } from '../config/keys';
import { nginxConfig } from '../config/nginx-config';
import { childPids } from '../measure/proc';
import { KEEP_ALIVE_SECONDS } from '../mock/responses';
import { freePort, spawnPinned, stopProcess } from './process';
import { type Target, waitReady } from './target';

function has(command: string): boolean {
  try {
    execSync(`command -v ${command}`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Installs Debian packages whose command is missing (`apt-get update` first). */
export function ensureDebianTools(tools: Readonly<Record<string, string>>): void {
  const missing = Object.entries(tools).filter(([command]) => !has(command));
  if (missing.length === 0) return;
  const packages = missing.map(([, pkg]) => pkg);
  process.stderr.write(`bench: installing ${packages.join(', ')} from Debian's packages\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: 'ignore',
    env,
  });
}

export interface NginxStart {
  readonly core: number | null;
  readonly mockUrl: string;
  readonly workDir: string;
  readonly keys: number;
  readonly workers: number;
  readonly workerConnections: number;
}

export async function startNginx(options: NginxStart): Promise<Target> {
  const port = await freePort();
  const prefix = join(options.workDir, `nginx-${port}`);
  mkdirSync(prefix, { recursive: true });
  const keyPorts: number[] = [];
  for (let i = 0; i < options.keys; i++) keyPorts.push(await freePort());
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(
    confPath,
    nginxConfig({
      prefix,
      port,
      keyPorts,
      keys: benchKeys(options.keys),
      upstream: options.mockUrl.replace('http://', ''),
      workers: options.workers,
      workerConnections: options.workerConnections,
      upstreamKeepAliveSeconds: KEEP_ALIVE_SECONDS - 2,
    }),
  );
  const child = spawnPinned(options.core, 'nginx', ['-p', prefix, '-c', confPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const target: Target = {
    name: 'nginx',
    origin: `http://127.0.0.1:${port}`,
    headers: { authorization: 'Bearer sk-client-ignored-by-nginx' },
    pids: () => (child.exitCode === null ? [child.pid!, ...childPids(child.pid!)] : []),
    stop: () => stopProcess(child),
  };
  await waitReady(target);
  return target;
}
