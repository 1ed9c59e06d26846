/** Starts the purpose-built load clients as child processes on the harness core. */
import { runForJson, spawnPinned } from '../targets/process';
import type { OpenLoopArgs, OpenLoopResult } from './open-loop';
import type { SseArgs, SseResult } from './sse-client';

function runClient<T>(core: number | null, script: string, args: unknown): Promise<T> {
  const child = spawnPinned(core, process.execPath, ['--import', 'tsx', script, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return runForJson<T>(child);
}

export function runOpenLoop(core: number | null, args: OpenLoopArgs): Promise<OpenLoopResult> {
  return runClient(core, 'bench/load/open-loop.ts', args);
}

export function runSseClient(core: number | null, args: SseArgs): Promise<SseResult> {
  return runClient(core, 'bench/load/sse-client.ts', args);
}
