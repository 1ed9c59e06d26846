import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE } from './harness';

describe('the Worker bundle (dist/worker/index.js)', () => {
  const code = readFileSync(BUNDLE, 'utf8');

  it('imports no Node built-in: it runs on workerd without nodejs_compat', () => {
    const builtins = new Set([...code.matchAll(/from "(node:[a-z_/]+)"/g)].map((m) => m[1]));
    expect([...builtins]).toEqual([]);
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
