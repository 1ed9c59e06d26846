import { execFileSync } from 'node:child_process';

/** Vitest global setup: the Worker tests run the built bundle, so build it once per run. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-worker.mjs'], { stdio: 'inherit' });
}
