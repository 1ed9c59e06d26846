import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const CLI = ['--import', TSX, join(ROOT, 'src/cli/main.ts')];

function check(cwd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...CLI, 'check', ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
  });
}

describe('.env files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-env-'));
  writeFileSync(join(dir, 'switchyard.yaml'), 'upstreams:\n  - name: a\n    url: ${UPSTREAM}\n');

  it('reads ./.env before interpolating the configuration, and the environment wins over it', () => {
    const missing = check(dir, []);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('environment variable UPSTREAM is not set');
    writeFileSync(join(dir, '.env'), 'UPSTREAM=https://from-dotenv.example\n');
    expect(check(dir, []).status).toBe(0);
    const overridden = check(dir, [], { UPSTREAM: 'not-a-url' });
    expect(overridden.status).toBe(1);
    expect(overridden.stderr).toContain('upstreams[0].url: must be an http:// or https:// URL');
  });

  it('reads --env-file FILE instead, and refuses one it cannot read or parse', () => {
    const other = mkdtempSync(join(tmpdir(), 'sy-env-'));
    writeFileSync(join(other, 'prod.env'), 'export UPSTREAM="https://from-file.example"\n');
    const config = ['--config', join(dir, 'switchyard.yaml')];
    expect(check(other, ['--env-file', 'prod.env', ...config]).status).toBe(0);
    const absent = check(other, ['--env-file', 'absent.env', ...config]);
    // Node 20 itself also looks at --env-file after the script name and exits 9 for a missing file.
    expect(absent.status).not.toBe(0);
    expect(absent.stderr).toContain('absent.env');
    writeFileSync(join(other, 'bad.env'), 'UPSTREAM=https://x.example\nthis is not an assignment\n');
    const bad = check(other, ['--env-file', 'bad.env', ...config]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('line 2: not NAME=value');
  });
});
