import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const ROOT = resolve(import.meta.dirname, '../..');
const FLUSH_MS = 250;
/** Timer and scheduling slack on a busy machine, added to the documented window. */
const SLACK_MS = 1500;

/** Starts `switchyard --config FILE` as a real child process; resolves with its URL. */
function startChild(configPath: string): Promise<{ child: ChildProcess; url: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHYARD_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--config', configPath], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolveStart, reject) => {
    let out = '';
    let err = '';
    let listening = false;
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (listening) return;
      out += d.toString();
      const match = /switchyard listening on (http:\/\/[\d.:]+)/.exec(out);
      if (!match) return;
      listening = true;
      resolveStart({ child, url: match[1]! });
    });
    child.once('exit', (code) =>
      reject(new Error(`gateway exited (${code}) before listening: ${err}${out}`)),
    );
  });
}

function rowsIn(path: string): Set<string> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT request_id FROM request_log').all() as { request_id: string }[];
    return new Set(rows.map((r) => r.request_id));
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the request log under kill -9', () => {
  let mock: MockUpstream;
  let dir: string;
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loses only requests that finished within the last flush interval', { timeout: 60_000 }, async () => {
    mock = await startMock(replyChat());
    dir = mkdtempSync(join(tmpdir(), 'sy-crash-'));
    const dbPath = join(dir, 'switchyard.db');
    const configPath = join(dir, 'switchyard.yaml');
    writeFileSync(
      configPath,
      [
        'server: { host: 127.0.0.1, port: 0, log_format: json, log_level: info }',
        `store: { path: ${JSON.stringify(dbPath)} }`,
        `request_log: { flush_interval: ${FLUSH_MS}ms }`,
        'upstreams:',
        `  - { name: mock, url: ${JSON.stringify(mock.url)} }`,
      ].join('\n'),
    );
    const started = await startChild(configPath);
    child = started.child;
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    const finishedAt = new Map<string, number>();
    let n = 0;
    const send = async () => {
      const id = `crash-test-${n++}`;
      const response = await fetch(`${started.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.text();
      expect(response.status).toBe(200);
      finishedAt.set(id, performance.now());
    };

    for (let i = 0; i < 20; i++) await send();
    await until(
      () => rowsIn(dbPath).size === 20,
      20_000,
      () => `20 rows written (found ${rowsIn(dbPath).size})`,
    );

    const phaseEnd = performance.now() + 4 * FLUSH_MS + SLACK_MS;
    while (performance.now() < phaseEnd) {
      await send();
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < 5; i++) await send();
    const killedAt = performance.now();
    child.kill('SIGKILL');
    await exited;

    const kept = rowsIn(dbPath);
    const lost = [...finishedAt.keys()].filter((id) => !kept.has(id));
    const ages = lost.map((id) => Math.round(killedAt - finishedAt.get(id)!));
    for (const age of ages) {
      expect(
        age,
        `a request that finished ${age} ms before the kill was lost (lost: ${ages.join(', ')} ms)`,
      ).toBeLessThan(FLUSH_MS + SLACK_MS);
    }
    expect(kept.size).toBeGreaterThan(20);
    expect(kept.size + lost.length).toBe(finishedAt.size);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The writer thread commits rows and their rollups in one transaction: the kill never splits them.
    const rollups = db.prepare('SELECT SUM(requests) AS n FROM usage_hourly').get() as { n: number };
    expect(rollups.n).toBe(kept.size);
    db.close();
  });
});
