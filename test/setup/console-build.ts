import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsole } from '../../scripts/build-ui.mjs';

const ROOT = join(import.meta.dirname, '../..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function builtAt(): number {
  try {
    return statSync(join(ROOT, 'dist/ui/app.js')).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Once before the test files: the web console in dist/ui is built again when its sources are
 * newer (npm install builds it; this keeps a test run from testing a stale build).
 */
export default async function setup(): Promise<void> {
  if (newest(join(ROOT, 'ui')) > builtAt()) await buildConsole();
}
