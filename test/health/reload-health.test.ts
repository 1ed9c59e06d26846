import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/adapter/node/config-files';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { nextApplied } from '../helpers/config-events';
import { type FileGateway, startFileGateway } from '../helpers/file-gateway';
import { type MockUpstream, replyChat, startMock } from '../helpers/mock-upstream';
import { attempt } from '../helpers/routing';

/** The gateway's clock stands still: deadlines are literals. */
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const KEYS = ['sk-reload-health-0001', 'sk-reload-health-0002', 'sk-reload-health-0003'];

function yaml(a: string, b: string, bodyLimit: string): string {
  return [
    `admin: { key: ${ADMIN_KEY}, watch: false }`,
    'store: { path: ":memory:" }',
    `server: { max_body_size: ${bodyLimit} }`,
    'health: { blacklist_threshold: 1, eject_threshold: 1, validation: { enabled: false } }',
    'retry: { backoff: 0, max_retry_after: 0 }',
    'upstreams:',
    `  - { name: a, url: ${a}, keys: [${KEYS.join(', ')}] }`,
    `  - { name: b, url: ${b}, keys: [sk-reload-health-b001] }`,
  ].join('\n');
}

interface KeyView {
  key: string;
  state: string;
  until: string | null;
}
interface UpstreamView {
  name: string;
  state: string;
  ejected_until: string | null;
}

describe('health across a configuration reload (the real registry)', () => {
  let dir: string;
  let a: MockUpstream;
  let b: MockUpstream;
  let gw: FileGateway | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sy-reload-health-'));
    a = await startMock(replyChat());
    b = await startMock(replyChat());
  });

  afterEach(async () => {
    await gw?.stop(1000);
    gw = undefined;
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Key 1 disabled, key 2 cooling for two minutes, upstream b ejected for 30 s. */
  function degrade(running: FileGateway): void {
    const upstreamA = running.gateway.runtime.upstreams.get('a')!;
    const upstreamB = running.gateway.runtime.upstreams.get('b')!;
    const [k1, k2] = upstreamA.keys.keys;
    running.registry.record(upstreamA, k1, { ...attempt('a', 'invalid_key'), status: 401 }, NOW);
    running.registry.record(
      upstreamA,
      k2,
      { ...attempt('a', 'rate_limited'), status: 429, retryAfterMs: 120_000 },
      NOW,
    );
    running.registry.record(upstreamB, undefined, attempt('b', 'upstream_fault'), NOW);
  }

  async function expectDegraded(running: FileGateway): Promise<void> {
    const keys = await admin<{ keys: KeyView[] }>(running.url, 'GET', '/admin/keys?upstream=a');
    expect(keys.status).toBe(200);
    expect(keys.body.keys.map((k) => [k.state, k.until])).toEqual([
      ['disabled', '2026-01-01T13:00:00.000Z'],
      ['cooling', '2026-01-01T12:02:00.000Z'],
      ['active', null],
    ]);
    const health = await admin<{ upstreams: UpstreamView[] }>(running.url, 'GET', '/admin/health');
    expect(health.body.upstreams.find((u) => u.name === 'b')).toMatchObject({
      state: 'ejected',
      ejected_until: '2026-01-01T12:00:30.000Z',
    });
    const before = a.requests.length;
    for (let i = 0; i < 3; i++) {
      const reply = await fetch(`${running.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(reply.status).toBe(200);
    }
    expect(a.requests.slice(before).map((r) => r.headers.authorization)).toEqual(
      Array(3).fill(`Bearer ${KEYS[2]}`),
    );
    expect(b.requests).toHaveLength(0);
  }

  it('keeps disabled keys, cooling deadlines and ejections across applyConfig', async () => {
    const path = join(dir, 'switchyard.yaml');
    gw = await startFileGateway(path, yaml(a.url, b.url, '1mb'), { now: () => NOW });
    degrade(gw);
    await expectDegraded(gw);
    gw.write(yaml(a.url, b.url, '2mb'));
    gw.gateway.applyConfig(loadConfig(path, {}).config);
    expect(gw.gateway.runtime.config.server.max_body_size).toBe(2 * 1024 * 1024);
    await expectDegraded(gw);
  });

  it('keeps disabled keys, cooling deadlines and ejections across a SIGHUP reload', async () => {
    const path = join(dir, 'switchyard.yaml');
    gw = await startFileGateway(path, yaml(a.url, b.url, '1mb'), {
      now: () => NOW,
      control: { signals: true },
    });
    degrade(gw);
    gw.write(yaml(a.url, b.url, '2kb'));
    const applied = nextApplied(gw.control.manager);
    process.emit('SIGHUP', 'SIGHUP');
    await applied;
    expect(gw.gateway.runtime.config.server.max_body_size).toBe(2048);
    await expectDegraded(gw);
  });
});
