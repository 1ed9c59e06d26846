import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import type { ConsoleAsset } from '../../admin/console-serve';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Where the built console is: `dist/ui` beside the bundled gateway (`dist/switchyard.js`), or
 * the repository's `dist/ui` when the gateway runs from source (tests, tsx).
 */
export function defaultConsoleDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'ui'), resolve(here, '../../../dist/ui')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[1]!;
}

/** The console's files by URL name (`index.html`, `app.js`…); empty when it was not built. */
export function loadConsoleAssets(dir: string): ReadonlyMap<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const contentType = TYPES[extname(name)];
    if (!contentType) continue;
    const body = readFileSync(join(dir, name));
    assets.set(name, { body, gzip: gzipSync(body), contentType });
  }
  return assets;
}

let cached: ReadonlyMap<string, ConsoleAsset> | undefined;

/** The built console from `dist/ui`, read once it is there (the admin router asks per request). */
export function nodeConsoleAssets(): ReadonlyMap<string, ConsoleAsset> {
  if (!cached?.size) cached = loadConsoleAssets(defaultConsoleDir());
  return cached;
}
