import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';

const COUNT = 100_000;
const keyAt = (i: number) => `sk-bulk-${String(i).padStart(8, '0')}-abcdefghijkl`;

describe('bulk key import', () => {
  let mock: MockUpstream;
  let dir: string;
  let gw: TestGateway;

  beforeAll(async () => {
    mock = await startMock(replyChat());
    dir = mkdtempSync(join(tmpdir(), 'sy-bulk-'));
    gw = await startTestGateway({ admin: { key: ADMIN_KEY }, store: { path: join(dir, 'switchyard.db') } });
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`imports ${COUNT.toLocaleString('en')} keys as text in seconds, skipping duplicates`, async () => {
    await admin(gw.url, 'POST', '/admin/upstreams', { json: { name: 'bulk', url: mock.url } });
    const lines = ['# exported pool'];
    for (let i = 0; i < COUNT; i++) lines.push(keyAt(i));
    for (let i = 0; i < 500; i++) lines.push(keyAt(i));
    const started = performance.now();
    const res = await admin(gw.url, 'POST', '/admin/upstreams/bulk/keys', { text: lines.join('\n') });
    const seconds = (performance.now() - started) / 1000;
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ upstream: 'bulk', added: COUNT, duplicates: 500, total: COUNT });
    console.info(`imported ${COUNT} keys in ${seconds.toFixed(2)} s`);

    const again = await admin(gw.url, 'POST', '/admin/upstreams/bulk/keys', {
      json: { keys: [keyAt(1), keyAt(2), 'sk-bulk-brand-new-key-0001'] },
    });
    expect(again.body).toMatchObject({ added: 1, duplicates: 2, total: COUNT + 1 });
  }, 60_000);

  it('serves requests with the imported keys and pages through them masked', async () => {
    const reply = await gw.client().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reply.choices[0]!.message.content).toBe(`key=Bearer ${keyAt(0)}`);
    const page = await admin<{ total: number; keys: { key: string }[] }>(
      gw.url,
      'GET',
      '/admin/upstreams/bulk/keys?offset=99998&limit=5',
    );
    expect(page.body.total).toBe(COUNT + 1);
    expect(page.body.keys.map((k) => k.key)).toEqual(['sk-...ijkl', 'sk-...ijkl', 'sk-...0001']);
    expect(page.text).not.toContain('sk-bulk-');
  });

  it('keeps no key in clear in the store file', () => {
    const bytes = readFileSync(join(dir, 'switchyard.db')).toString('latin1');
    expect(bytes).not.toContain('sk-bulk-');
  });

  it('refuses more than 100,000 keys in one request, naming the field', async () => {
    const keys = Array.from({ length: COUNT + 1 }, (_, i) => `k-${i}-xxxxxxxxxxxx`);
    const res = await admin(gw.url, 'POST', '/admin/upstreams/bulk/keys', { json: keys });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed', param: 'keys' } });
  });
});
