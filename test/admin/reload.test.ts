import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noHealthTracking } from '../../src/health/no-tracking';
import type { HealthTracker } from '../../src/health/tracker';
import { fingerprint } from '../../src/observe/mask';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { nextApplied, nextRejected } from '../helpers/config-events';
import { type FileGateway, startFileGateway } from '../helpers/file-gateway';
import {
  chunkEvent,
  keyEcho,
  type MockUpstream,
  replyChat,
  signal,
  startMock,
  startSse,
} from '../helpers/mock-upstream';

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };

function yaml(
  routeTo: string,
  upstreams: Record<string, { url: string; keys: string[] }>,
  extra = '',
  watch = true,
): string {
  const list = Object.entries(upstreams)
    .map(([name, u]) => `  - name: ${name}\n    url: ${u.url}\n    keys: [${u.keys.join(', ')}]`)
    .join('\n');
  return `admin:\n  key: ${ADMIN_KEY}\n  watch: ${watch}\nstore:\n  path: ":memory:"\nupstreams:\n${list}\nroutes:\n  - name: main\n    upstreams: [${routeTo}]\n${extra}`;
}

/** Health that takes out exactly the keys it is told to (by fingerprint), whatever the config. */
function banningHealth(banned: Set<string>): HealthTracker {
  return { ...noHealthTracking, keyUsable: (_upstream, key) => !banned.has(key.id) };
}

describe('configuration file reload', () => {
  let dir: string;
  let slow: MockUpstream;
  let fast: MockUpstream;
  let gw: FileGateway | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sy-reload-'));
    slow = await startMock();
    fast = await startMock(replyChat());
  });

  afterEach(async () => {
    await gw?.stop(1000);
    gw = undefined;
    await slow.close();
    await fast.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function client(): OpenAI {
    return new OpenAI({ apiKey: 'unused', baseURL: `${gw!.url}/v1`, maxRetries: 0, timeout: 10_000 });
  }

  it('changes a route on file change while a stream keeps flowing on the old one', async () => {
    const release = signal();
    slow.handle(async (_req, res) => {
      startSse(res);
      res.write(chunkEvent('gpt-4o', 'old '));
      await release.promise;
      res.write(chunkEvent('gpt-4o', 'route'));
      res.end('data: [DONE]\n\n');
    });
    const path = join(dir, 'switchyard.yaml');
    gw = await startFileGateway(
      path,
      yaml('slow', { slow: { url: slow.url, keys: ['sk-slow-000000000001'] } }),
    );

    const stream = await client().chat.completions.create({ ...CHAT, stream: true });
    const chunks = stream[Symbol.asyncIterator]();
    expect((await chunks.next()).value?.choices[0]?.delta.content).toBe('old ');

    const applied = nextApplied(gw.control.manager);
    gw.write(yaml('fast', { fast: { url: fast.url, keys: ['sk-fast-000000000001'] } }));
    await applied;

    const reply = await client().chat.completions.create(CHAT);
    expect(reply.choices[0]!.message.content).toBe(keyEcho('Bearer sk-fast-000000000001'));
    expect(gw.logs.join('')).toContain('configuration reloaded');

    release.fire();
    let rest = '';
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      rest += next.value.choices[0]?.delta.content ?? '';
    }
    expect(rest).toBe('route');
    expect(slow.requests).toHaveLength(1);
  });

  it('reloads when a keys_file changes', async () => {
    const path = join(dir, 'switchyard.yaml');
    const keysFile = join(dir, 'keys.txt');
    writeFileSync(keysFile, 'sk-from-file-0000000001\n');
    const text = `admin:\n  key: ${ADMIN_KEY}\nstore:\n  path: ":memory:"\nupstreams:\n  - name: fast\n    url: ${fast.url}\n    keys_file: ./keys.txt\n`;
    gw = await startFileGateway(path, text);
    expect((await client().chat.completions.create(CHAT)).choices[0]!.message.content).toBe(
      keyEcho('Bearer sk-from-file-0000000001'),
    );
    const applied = nextApplied(gw.control.manager);
    writeFileSync(keysFile, 'sk-from-file-0000000002\n');
    await applied;
    expect((await client().chat.completions.create(CHAT)).choices[0]!.message.content).toBe(
      keyEcho('Bearer sk-from-file-0000000002'),
    );
  });

  it('refuses a broken file, logs the field and reason, and keeps serving the old config', async () => {
    const path = join(dir, 'switchyard.yaml');
    gw = await startFileGateway(
      path,
      yaml('fast', { fast: { url: fast.url, keys: ['sk-fast-000000000001'] } }),
    );

    const rejected = nextRejected(gw.control.manager);
    gw.write(yaml('fast', { fast: { url: 'ftp://wrong.example', keys: ['sk-fast-000000000001'] } }));
    await rejected;
    const refusal = gw.logs.find((line) => line.includes('configuration reload refused'))!;
    expect(refusal).toContain('upstreams[0].url: must be an http:// or https:// URL');

    const syntax = nextRejected(gw.control.manager);
    gw.write('upstreams: [\n');
    await syntax;
    expect(gw.logs.join('')).toContain('YAML syntax');

    const reply = await client().chat.completions.create(CHAT);
    expect(reply.choices[0]!.message.content).toBe(keyEcho('Bearer sk-fast-000000000001'));
    const metrics = await admin(gw.url, 'GET', '/metrics');
    expect(metrics.text).toContain('switchyard_config_reloads_total{result="refused"} 2');
  });

  it('reloads on SIGHUP and keeps the health state of members that still exist', async () => {
    const banned = new Set([fingerprint('sk-fast-000000000001')]);
    const path = join(dir, 'switchyard.yaml');
    const keys = ['sk-fast-000000000001', 'sk-fast-000000000002'];
    const before = yaml('fast', { fast: { url: fast.url, keys } }, 'server:\n  max_body_size: 1mb\n', false);
    gw = await startFileGateway(path, before, { health: banningHealth(banned), control: { signals: true } });
    // admin.watch is off in this file, so only the signal reloads it.
    gw.write(yaml('fast', { fast: { url: fast.url, keys } }, 'server:\n  max_body_size: 2kb\n', false));
    const applied = nextApplied(gw.control.manager);
    process.emit('SIGHUP', 'SIGHUP');
    await applied;
    expect(gw.gateway.runtime.config.server.max_body_size).toBe(2048);
    for (let i = 0; i < 3; i++) {
      const reply = await client().chat.completions.create(CHAT);
      expect(reply.choices[0]!.message.content).toBe(keyEcho('Bearer sk-fast-000000000002'));
    }
  });

  it('lets the file win a name clash with an API upstream, and refuses a file that breaks an API route', async () => {
    const path = join(dir, 'switchyard.yaml');
    gw = await startFileGateway(
      path,
      yaml('fast', { fast: { url: fast.url, keys: ['sk-fast-000000000001'] } }),
    );
    await admin(gw.url, 'POST', '/admin/upstreams', { json: { name: 'shared', url: slow.url } });
    await admin(gw.url, 'POST', '/admin/routes', { json: { name: 'api-route', upstreams: ['fast'] } });

    const applied = nextApplied(gw.control.manager);
    gw.write(
      yaml('shared', {
        fast: { url: fast.url, keys: ['sk-fast-000000000001'] },
        shared: { url: fast.url, keys: ['sk-shared-00000000001'] },
      }),
    );
    await applied;
    const shared = await admin(gw.url, 'GET', '/admin/upstreams/shared');
    expect(shared.body).toMatchObject({ source: 'file', shadows_api_object: true, url: fast.url });
    expect(gw.logs.join('')).toContain('shadowed by the configuration file');

    const rejected = nextRejected(gw.control.manager);
    gw.write(yaml('shared', { shared: { url: fast.url, keys: ['sk-shared-00000000001'] } }));
    await rejected;
    expect(gw.logs.join('')).toContain(
      'routes[1] (admin API route \\"api-route\\").upstreams[0]: unknown upstream \\"fast\\"',
    );
  });
});
