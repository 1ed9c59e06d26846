import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { keyEcho, type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const COUNT = 100_000;
const keyAt = (i: number) => `sk-bulk-${String(i).padStart(8, '0')}-abcdefghijkl`;

describe('bulk key import', () => {
  let mock: MockUpstream;
  let dir: string;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
  });

  afterAll(async () => {
    await mock.close();
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sy-bulk-'));
    gw = await startTestGateway({ admin: { key: ADMIN_KEY }, store: { path: join(dir, 'switchyard.db') } });
    const created = await admin(gw.url, 'POST', '/admin/upstreams', {
      json: { name: 'bulk', url: mock.url },
    });
    expect(created.status).toBe(201);
  });

  afterEach(async () => {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  async function importKeys(count: number, repeats: number) {
    const lines = ['# exported pool'];
    for (let i = 0; i < count; i++) lines.push(keyAt(i));
    for (let i = 0; i < repeats; i++) lines.push(keyAt(i));
    return admin(gw.url, 'POST', '/admin/upstreams/bulk/keys', { text: lines.join('\n') });
  }

  // How long this takes is measured by `npm run bench:import`, not here.
  it(`imports ${COUNT.toLocaleString('en')} keys as text, skipping duplicates, and serves and pages them masked`, async () => {
    const res = await importKeys(COUNT, 500);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ upstream: 'bulk', added: COUNT, duplicates: 500, total: COUNT });
    const again = await admin(gw.url, 'POST', '/admin/upstreams/bulk/keys', {
      json: { keys: [keyAt(1), keyAt(2), 'sk-bulk-brand-new-key-0001'] },
    });
    expect(again.body).toMatchObject({ added: 1, duplicates: 2, total: COUNT + 1 });

    const reply = await gw.client().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reply.choices[0]!.message.content).toBe(keyEcho(`Bearer ${keyAt(0)}`));
    const page = await admin<{ total: number; keys: { key: string }[] }>(
      gw.url,
      'GET',
      '/admin/upstreams/bulk/keys?offset=99998&limit=5',
    );
    expect(page.body.total).toBe(COUNT + 1);
    expect(page.body.keys.map((k) => k.key)).toEqual(['sk-...ijkl', 'sk-...ijkl', 'sk-...0001']);
    expect(page.text).not.toContain('sk-bulk-');
  }, 60_000);

  it('keeps no key in clear in the store file or its write-ahead log', async () => {
    expect((await importKeys(1000, 0)).status).toBe(201);
    const path = join(dir, 'switchyard.db');
    // The import is in the -wal file until a checkpoint: scan both, while the gateway runs.
    const wal = readFileSync(`${path}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    for (const file of [path, `${path}-wal`]) {
      expect(readFileSync(file).toString('latin1'), file).not.toContain('sk-bulk-');
    }
  });

  it('refuses more than 100,000 keys in one request, naming the field', async () => {
    const keys = Array.from({ length: COUNT + 1 }, (_, i) => `k-${i}-xxxxxxxxxxxx`);
    const res = await admin(gw.url, 'POST', '/admin/upstreams/bulk/keys', { json: keys });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed', param: 'keys' } });
  });
});
