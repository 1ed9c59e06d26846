import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { replyChat, startMock } from '../helpers/mock-upstream';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const CLI = ['--import', TSX, join(ROOT, 'src/cli/main.ts')];

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...env, ...extra };
}

/** Starts the CLI and resolves with its URL once it logs that it listens. */
function startCli(
  env: Record<string, string>,
  cwd: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, CLI, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

describe('the switchyard command', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('starts in quick mode from the environment, proxies, and exits cleanly on SIGTERM', async () => {
    const mock = await startMock(replyChat());
    const cwd = mkdtempSync(join(tmpdir(), 'sy-cli-'));
    const { child, url, output } = await startCli(
      { SWITCHYARD_UPSTREAM_URL: mock.url, SWITCHYARD_KEYS: 'sk-cli-key-00001', PORT: '0' },
      cwd,
    );
    children.push(child);
    const reply = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"m"}',
    });
    expect(reply.status).toBe(200);
    expect(mock.requests[0]!.headers.authorization).toBe('Bearer sk-cli-key-00001');
    expect(output()).toContain('OPEN GATEWAY');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await mock.close();
  });

  it('refuses a bad file naming the field and the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'upstreams:\n  - name: a\n    url: not-a-url\n');
    const result = spawnSync(process.execPath, [...CLI, 'check', '--config', file], {
      env: cleanEnv({}),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('upstreams[0].url: must be an http:// or https:// URL');
    writeFileSync(file, 'upstreams:\n  - name: a\n    url: https://a.example\n');
    const ok = spawnSync(process.execPath, [...CLI, 'check', '--config', file], {
      env: cleanEnv({}),
      encoding: 'utf8',
    });
    expect(ok.stdout).toContain('configuration OK');
    expect(ok.status).toBe(0);
  });
});
