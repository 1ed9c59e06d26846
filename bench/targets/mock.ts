/** The mock upstream as a child process on the harness core. */
import type { ChildProcess } from 'node:child_process';
import { firstJsonLine, spawnPinned, stopProcess } from './process';

export interface RunningMock {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface MockStart {
  readonly core: number | null;
  readonly chunks: number;
  readonly intervalMs: number;
  readonly delayMs: number;
}

export async function startMock(options: MockStart): Promise<RunningMock> {
  const child: ChildProcess = spawnPinned(
    options.core,
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/mock/main.ts',
      '--chunks',
      String(options.chunks),
      '--interval',
      String(options.intervalMs),
      '--delay',
      String(options.delayMs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const { port } = await firstJsonLine<{ port: number }>(child, 15_000);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopProcess(child) };
}
