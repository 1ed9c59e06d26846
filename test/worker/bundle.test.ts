import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE } from './harness';

describe('the Worker bundle (dist/worker/index.js)', () => {
  const code = readFileSync(BUNDLE, 'utf8');

  it('imports no Node built-in beyond those nodejs_compat provides and the core still needs', () => {
    const builtins = new Set([...code.matchAll(/^import .* from "(node:[a-z_/]+)";$/gm)].map((m) => m[1]));
    // The core still hashes with node:crypto and keeps digests in Buffers; shrink this list as they go.
    expect([...builtins].sort()).toEqual(['node:buffer', 'node:crypto']);
  });

  it('has no bare imports left for the runtime to resolve', () => {
    const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    expect(imports.filter((path) => !path.startsWith('node:'))).toEqual([]);
  });

  it('leaves out the Node server, undici, SQLite, pino and prom-client', () => {
    for (const module of [
      'node_modules/undici/',
      'node_modules/better-sqlite3/',
      'node_modules/pino/',
      'node_modules/prom-client/',
      'src/adapter/node/',
    ]) {
      expect(code.includes(`// ${module}`), module).toBe(false);
    }
  });
});
