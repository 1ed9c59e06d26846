/**
 * The bare proxies: node:http + undici (bench/bare/proxy.ts), the floor a Node gateway starts from,
 * and the raw-socket experiment (bench/bare/raw-proxy.ts), the ceiling it could reach.
 */
import { firstJsonLine, spawnPinned, stopProcess } from './process';
import { type Target, waitReady } from './target';

export interface BareStart {
  readonly core: number | null;
  readonly mockUrl: string;
  readonly keys: number;
  /** `node` (node:http + undici, the default) or `raw` (net sockets, bench/bare/raw-proxy.ts). */
  readonly kind?: 'node' | 'raw';
}

export async function startBareProxy(options: BareStart): Promise<Target> {
  const raw = options.kind === 'raw';
  const script = raw ? 'bench/bare/raw-proxy.ts' : 'bench/bare/proxy.ts';
  const child = spawnPinned(
    options.core,
    process.execPath,
    ['--import', 'tsx', script, '--upstream', options.mockUrl, '--keys', String(options.keys)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const { port } = await firstJsonLine<{ port: number }>(child, 15_000);
  const target: Target = {
    name: raw ? 'raw node proxy' : 'node floor',
    origin: `http://127.0.0.1:${port}`,
    headers: { authorization: 'Bearer sk-client-ignored' },
    pids: () => (child.exitCode === null ? [child.pid!] : []),
    stop: () => stopProcess(child),
    scenarios: raw ? ['throughput'] : ['throughput', 'fixed-rate'],
  };
  await waitReady(target);
  return target;
}
