import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const seen: string[] = [];

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

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sy-redact-'));
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
    gw = await startFileGateway(join(dir, 'switchyard.yaml'), yaml(mock.url, join(dir, 'switchyard.db')));
  });

  let stopped = false;

  afterAll(async () => {
    if (!stopped) await gw.stop(1000);
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admin actions: creating, importing, reading, failing', async () => {
    await adminCall('POST', '/admin/upstreams', {
      json: { name: 'api', url: mock.url, keys: [ODD_KEY], headers: { 'x-api-key': ODD_KEY } },
    });
    await adminCall('POST', '/admin/upstreams/api/keys', { text: `${UPSTREAM_KEY}\n${NEVER_CONFIGURED}` });
    await adminCall('GET', '/admin/upstreams/api');
    await adminCall('GET', '/admin/upstreams/api/keys');
    await adminCall('GET', '/admin/config');
    await adminCall('GET', '/admin/stats?window=minute');
    await adminCall('POST', '/admin/upstreams', {
      text: `{"name": "x", "keys": [${ODD_KEY}]}`,
      contentType: 'application/json',
    });
    await adminCall('POST', '/admin/upstreams', {
      json: { name: ODD_KEY.replaceAll('_', '-'), url: ODD_KEY },
    });
    await adminCall('GET', `/admin/upstreams/api/keys/${UPSTREAM_KEY}`);
    await adminCall('GET', '/metrics');
  });

  // A secret is known once configured: the request comes after the admin import of ODD_KEY.
  it('request line: secrets in the path, query and user agent', async () => {
    const res = await call(`/v1/models/${UPSTREAM_KEY}/${ODD_KEY}?key=${CLIENT_KEY}`, {
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'user-agent': `bot ${UPSTREAM_KEY} ${CLIENT_KEY}` },
    });
    expect(res.status).toBe(200);
    await call(`/v1/${ADMIN_KEY}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(gw.logs.some((line) => line.includes('"path":"/v1/models/sk-...6789'))).toBe(true);
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
  });

  it('config errors: a reload whose problems quote secrets', async () => {
    const rejected = once(gw.control.manager, 'rejected');
    gw.write(yaml(mock.url, join(dir, 'switchyard.db'), `./${NEVER_CONFIGURED}/${UPSTREAM_KEY}.txt`));
    await rejected;
    const reload = await adminCall('POST', '/admin/config/reload');
    expect(reload.status).toBe(400);
    expect(reload.text).toContain('keys_file');
    expect(gw.logs.some((line) => line.includes('configuration reload refused'))).toBe(true);
  });

  it('finds no secret, nor a 12-character piece of one, in logs, responses, metrics or the database files', async () => {
    const output = await gatewayOutput(gw.url, ADMIN_KEY);
    await gw.stop(1000); // flushes the request log to the database
    stopped = true;
    const files = databaseFiles(join(dir, 'switchyard.db'));
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expectNoSecrets(SECRETS, { logs: gw.logs, responses: seen, ...output, ...files });
  });

  it('finds no secret anywhere', () => {
    const logs = gw.logs.join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of SECRETS) {
      expect(logs, `${secret} in logs`).not.toContain(secret);
      for (const response of seen) expect(response, `${secret} in a response`).not.toContain(secret);
    }
  });
});
