/**
 * `npm run bench:import`: how long the admin API takes to import 100,000 keys as text into a
 * file-backed store (WAL mode), and to create an upstream with 10,000 keys in its body. Figures
 * for docs/benchmarks.md; the tests check the behaviour, not the time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../src/adapter/node/logger';
import { startGateway } from '../src/adapter/node/start';
import { configSchema } from '../src/config/schema/index';
import { inlineSource } from '../src/config/source';
import { Redactor } from '../src/observe/redact';

const ADMIN_KEY = 'bench-admin-key-000000000001';
const IMPORT_COUNT = 100_000;
const CREATE_COUNT = 10_000;

const keyAt = (prefix: string, i: number) => `sk-${prefix}-${String(i).padStart(8, '0')}-abcdefghijkl`;

async function post(url: string, path: string, body: string, contentType: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': contentType },
    body,
  });
  await res.text();
  if (res.status !== 201) throw new Error(`${path}: ${res.status}`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-import-'));
  const input = { admin: { key: ADMIN_KEY }, store: { path: join(dir, 'switchyard.db') } };
  const redactor = new Redactor();
  const logger = createLogger({
    level: 'warn',
    format: 'json',
    redactor,
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const running = await startGateway({
    config: configSchema.parse(input),
    logger,
    redactor,
    port: 0,
    control: { source: inlineSource(input, 'benchmark'), env: {} },
  });
  try {
    const empty = JSON.stringify({ name: 'bulk', url: 'http://127.0.0.1:1' });
    await post(running.url, '/admin/upstreams', empty, 'application/json');
    const lines = Array.from({ length: IMPORT_COUNT }, (_, i) => keyAt('bulk', i)).join('\n');
    const imported = await post(running.url, '/admin/upstreams/bulk/keys', lines, 'text/plain');
    const keys = Array.from({ length: CREATE_COUNT }, (_, i) => keyAt('big', i));
    const body = JSON.stringify({ name: 'big', url: 'http://127.0.0.1:1', keys });
    const created = await post(running.url, '/admin/upstreams', body, 'application/json');
    console.log(`import of ${IMPORT_COUNT.toLocaleString('en')} keys as text: ${imported.toFixed(2)} s`);
    console.log(
      `create of an upstream with ${CREATE_COUNT.toLocaleString('en')} keys: ${created.toFixed(2)} s`,
    );
  } finally {
    await running.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
