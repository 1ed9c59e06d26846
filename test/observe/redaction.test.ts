import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { databaseFiles, expectNoSecrets, gatewayOutput } from '../helpers/canary';
import { type FileGateway, startFileGateway } from '../helpers/file-gateway';
import { chatCompletion, type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';

/** Secrets of every kind and shape the gateway handles. */
const UPSTREAM_KEY = 'sk-proj-UPSTREAMSECRET0123456789';
const ODD_KEY = 'tok_live_ODDSHAPESECRET98765';
const CLIENT_KEY = 'client-token-SECRET-ABCDEFGH';
const NEVER_CONFIGURED = 'sk-ant-api03-NEVERCONFIGURED123456';
const SECRETS = [UPSTREAM_KEY, ODD_KEY, CLIENT_KEY, ADMIN_KEY, NEVER_CONFIGURED];

function yaml(mockUrl: string, dbPath: string, keysFile?: string): string {
  return [
    'server:',
    `  auth_keys: [${CLIENT_KEY}]`,
    'admin:',
    `  key: ${ADMIN_KEY}`,
    'store:',
    `  path: ${JSON.stringify(dbPath)}`,
    'upstreams:',
    '  - name: main',
    `    url: ${mockUrl}`,
    `    keys: [${UPSTREAM_KEY}]`,
    ...(keysFile ? [`    keys_file: ${keysFile}`] : []),
  ].join('\n');
}

describe('no secret in logs, responses or metrics', () => {
  let dir: string;
  let mock: MockUpstream;
  let gw: FileGateway;
  let seen: string[];
  let stopped: boolean;

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${gw.url}${path}`, init);
    const text = await res.text();
    seen.push(`${res.status} ${JSON.stringify([...res.headers])} ${text}`);
    return res;
  }

  async function adminCall(method: string, path: string, options: Parameters<typeof admin>[3] = {}) {
    const res = await admin(gw.url, method, path, options);
    seen.push(`${res.status} ${JSON.stringify([...res.headers])} ${res.text}`);
    return res;
  }

  /** Makes ODD_KEY a configured secret: an API upstream that holds it as a key and a header. */
  async function importOddKey(): Promise<void> {
    const created = await adminCall('POST', '/admin/upstreams', {
      json: { name: 'api', url: mock.url, keys: [ODD_KEY], headers: { 'x-api-key': ODD_KEY } },
    });
    expect(created.status).toBe(201);
  }

  /** Every log line and every response of this test, scanned for every secret. */
  function expectNoSecret(): void {
    const logs = gw.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const secret of SECRETS) {
      expect(logs, `${secret} in logs`).not.toContain(secret);
      for (const response of seen) expect(response, `${secret} in a response`).not.toContain(secret);
    }
  }

  beforeAll(async () => {
    // The upstream echoes the credential it got, in an error body, as some providers do.
    mock = await startMock((req, res) => {
      const sent = req.headers.authorization ?? '';
      if (req.url.includes('fail')) {
        sendJson(res, 500, {
          error: { message: `upstream broke while using ${sent} and ${NEVER_CONFIGURED}` },
        });
      } else if (req.url.includes('deny')) {
        sendJson(res, 400, { error: { message: `Incorrect API key provided: ${sent}` } });
      } else {
        sendJson(res, 200, chatCompletion('gpt-4o', 'ok'));
      }
    });
  });

  afterAll(async () => {
    await mock.close();
  });

  beforeEach(async () => {
    seen = [];
    dir = mkdtempSync(join(tmpdir(), 'sy-redact-'));
    stopped = false;
    gw = await startFileGateway(join(dir, 'switchyard.yaml'), yaml(mock.url, join(dir, 'switchyard.db')));
  });

  afterEach(async () => {
    if (!stopped) await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('admin actions: creating, importing, reading, failing', async () => {
    await importOddKey();
    const imported = await adminCall('POST', '/admin/upstreams/api/keys', {
      text: `${UPSTREAM_KEY}\n${NEVER_CONFIGURED}`,
    });
    expect(imported.status).toBe(201);
    expect((await adminCall('GET', '/admin/upstreams/api')).status).toBe(200);
    expect((await adminCall('GET', '/admin/upstreams/api/keys')).status).toBe(200);
    expect((await adminCall('GET', '/admin/config')).status).toBe(200);
    expect((await adminCall('GET', '/admin/stats?window=minute')).status).toBe(200);
    const malformed = await adminCall('POST', '/admin/upstreams', {
      text: `{"name": "x", "keys": [${ODD_KEY}]}`,
      contentType: 'application/json',
    });
    expect(malformed.status).toBe(400);
    const invalid = await adminCall('POST', '/admin/upstreams', {
      json: { name: ODD_KEY.replaceAll('_', '-'), url: ODD_KEY },
    });
    expect(invalid.status).toBe(400);
    expect((await adminCall('GET', `/admin/upstreams/api/keys/${UPSTREAM_KEY}`)).status).toBe(404);
    expectNoSecret();
  });

  it('/metrics: after traffic on every key, no secret in the exposition', async () => {
    await importOddKey();
    for (const path of ['/v1/models', '/v1/fail', '/v1/deny']) {
      await call(path, { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    }
    const metrics = await adminCall('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('switchyard_');
    for (const secret of SECRETS) expect(metrics.text, `${secret} in /metrics`).not.toContain(secret);
    expectNoSecret();
  });

  it('request line: secrets in the path, query and user agent', async () => {
    // A secret is known once configured: the request comes after the admin import of ODD_KEY.
    await importOddKey();
    const res = await call(`/v1/models/${UPSTREAM_KEY}/${ODD_KEY}?key=${CLIENT_KEY}`, {
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'user-agent': `bot ${UPSTREAM_KEY} ${CLIENT_KEY}` },
    });
    expect(res.status).toBe(200);
    await call(`/v1/${ADMIN_KEY}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(gw.logs.some((line) => line.includes('"path":"/v1/models/sk-...6789'))).toBe(true);
    expectNoSecret();
  });

  it('upstream error snippets: logged and passed through, masked', async () => {
    const failed = await call('/v1/fail', { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    expect(failed.status).toBe(500);
    const denied = await call('/v1/deny', { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    expect(denied.status).toBe(400);
    expect(gw.logs.some((line) => line.includes('upstream attempt failed'))).toBe(true);
    expect(seen.some((text) => /Incorrect API key provided: Bearer [A-Za-z]{0,6}-?\.\.\./.test(text))).toBe(
      true,
    );
    expectNoSecret();
  });

  it('config errors: a reload whose problems quote secrets', async () => {
    const rejected = once(gw.control.manager, 'rejected');
    gw.write(yaml(mock.url, join(dir, 'switchyard.db'), `./${NEVER_CONFIGURED}/${UPSTREAM_KEY}.txt`));
    await rejected;
    const reload = await adminCall('POST', '/admin/config/reload');
    expect(reload.status).toBe(400);
    expect(reload.text).toContain('keys_file');
    expect(gw.logs.some((line) => line.includes('configuration reload refused'))).toBe(true);
    expectNoSecret();
  });

  it('finds no secret, nor a 12-character piece of one, in logs, responses, metrics or the database files', async () => {
    await importOddKey();
    const headers = { authorization: `Bearer ${CLIENT_KEY}`, 'user-agent': `bot ${UPSTREAM_KEY}` };
    expect((await call(`/v1/models/${UPSTREAM_KEY}?key=${CLIENT_KEY}`, { headers })).status).toBe(200);
    expect((await call('/v1/fail', { headers })).status).toBe(500);
    expect((await call('/v1/deny', { headers })).status).toBe(400);
    const output = await gatewayOutput(gw.url, ADMIN_KEY);
    await gw.stop(1000); // flushes the request log to the database
    stopped = true;
    const files = databaseFiles(join(dir, 'switchyard.db'));
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expectNoSecrets(SECRETS, { logs: gw.logs, responses: seen, ...output, ...files });
  });
});
