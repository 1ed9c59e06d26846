import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { type ChildGateway, killChild, startChildGateway } from '../helpers/child-gateway';
import { seededRandom } from '../helpers/seeded-random';

const KEY_COUNT = 10_000;
const TRIALS = 4;

function keysFor(name: string): string[] {
  return Array.from({ length: KEY_COUNT }, (_, i) => `sk-${name}-${String(i).padStart(8, '0')}-crash`);
}

async function keyTotal(url: string, name: string): Promise<number | 'missing'> {
  const found = await admin<{ keys: { total: number } }>(url, 'GET', `/admin/upstreams/${name}`);
  if (found.status === 404) return 'missing';
  expect(found.status).toBe(200);
  return found.body.keys.total;
}

/** Sends the create; resolves with its status, or 'killed' when the process died under it. */
function create(url: string, name: string): Promise<number | 'killed'> {
  const json = { name, url: 'http://127.0.0.1:1', keys: keysFor(name) };
  return admin(url, 'POST', '/admin/upstreams', { json }).then(
    (r) => r.status,
    () => 'killed' as const,
  );
}

describe('POST /admin/upstreams with keys under kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-create-crash-'));
  let running: ChildGateway | undefined;

  afterAll(async () => {
    if (running) await killChild(running);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is all-or-nothing, and a retried create repairs nothing because nothing is torn', {
    timeout: 120_000,
  }, async () => {
    const configPath = join(dir, 'switchyard.yaml');
    writeFileSync(
      configPath,
      [
        'server: { host: 127.0.0.1, port: 0, log_format: json, log_level: info }',
        `admin: { key: ${ADMIN_KEY}, watch: false }`,
        `store: { path: ${JSON.stringify(join(dir, 'switchyard.db'))} }`,
      ].join('\n'),
    );
    running = await startChildGateway(configPath);
    // One create that is not killed: how long a create takes here spreads the kill points.
    const started = performance.now();
    expect(await create(running.url, 'timing')).toBe(201);
    const createMs = performance.now() - started;
    expect(await keyTotal(running.url, 'timing')).toBe(KEY_COUNT);

    const random = seededRandom(17);
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const name = `big-${trial}`;
      const delayMs = Math.round(random() * createMs * 1.2);
      const sent = create(running.url, name);
      await new Promise((r) => setTimeout(r, delayMs));
      await killChild(running);
      const answered = await sent;

      running = await startChildGateway(configPath);
      const after = await keyTotal(running.url, name);
      outcomes.push(`${delayMs} ms: ${answered} -> ${after}`);
      expect([0, KEY_COUNT, 'missing'], `trial ${trial}: ${outcomes.at(-1)}`).toContain(after);
      expect(after, 'the upstream exists without keys').not.toBe(0);
      if (answered === 201) expect(after).toBe(KEY_COUNT);

      const retried = await create(running.url, name);
      expect(retried).toBe(after === 'missing' ? 201 : 409);
      expect(await keyTotal(running.url, name)).toBe(KEY_COUNT);
    }
    expect(await keyTotal(running.url, 'timing')).toBe(KEY_COUNT);
  });
});
