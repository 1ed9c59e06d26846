/** The bare node:http + undici proxy (bench/bare/proxy.ts): the floor a Node gateway starts from. */
import { firstJsonLine, spawnPinned, stopProcess } from './process';
import { type Target, waitReady } from './target';

export async function startBareProxy(options: {
  core: number | null;
  mockUrl: string;
  keys: number;
}): Promise<Target> {
  const child = spawnPinned(
    options.core,
    process.execPath,
    ['--import', 'tsx', 'bench/bare/proxy.ts', '--upstream', options.mockUrl, '--keys', String(options.keys)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const { port } = await firstJsonLine<{ port: number }>(child, 15_000);
  const target: Target = {
    name: 'node floor',
    origin: `http://127.0.0.1:${port}`,
    headers: { authorization: 'Bearer sk-client-ignored' },
    pids: () => (child.exitCode === null ? [child.pid!] : []),
    stop: () => stopProcess(child),
    scenarios: ['throughput', 'fixed-rate'],
  };
  await waitReady(target);
  return target;
}
