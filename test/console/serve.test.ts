import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

const BUILT = join(import.meta.dirname, '../../dist/ui');

async function raw(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { redirect: 'manual', ...init });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

describe('the web console is served at /ui/ wherever the admin API is', () => {
  let open: TestGateway;
  let separate: TestGateway;
  let keyless: TestGateway;

  beforeAll(async () => {
    open = await startTestGateway({ admin: { key: ADMIN_KEY } });
    separate = await startTestGateway({ admin: { key: ADMIN_KEY, port: 0 } });
    keyless = await startTestGateway({});
  });

  afterAll(async () => {
    for (const gw of [open, separate, keyless]) await gw.stop(1000);
  });

  it('redirects /ui to /ui/ and serves the page with a strict CSP and no inline script or style', async () => {
    const redirect = await raw(`${open.url}/ui`);
    expect(redirect.res.status).toBe(301);
    expect(redirect.res.headers.get('location')).toBe('/ui/');
    const { res, body } = await raw(`${open.url}/ui/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = body.toString('utf8');
    expect(html).toBe(readFileSync(join(BUILT, 'index.html'), 'utf8'));
    expect(html).toMatch(/<script type="module" src="app\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|https?:\/\//);
  });

  it('serves the bundle, gzipped when asked, and nothing else', async () => {
    const plain = await raw(`${open.url}/ui/app.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.body.equals(readFileSync(join(BUILT, 'app.js')))).toBe(true);
    const zipped = await raw(`${open.url}/ui/app.css`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.res.headers.get('content-encoding')).toBe('gzip');
    // fetch undoes the gzip: what arrives is the file
    expect(zipped.body.equals(readFileSync(join(BUILT, 'app.css')))).toBe(true);
    // The target is normalised first: /package.json is an API path (503: no upstream here), never a file.
    expect(await rawStatus(open.url, '/ui/../package.json')).toBe(503);
    expect((await raw(`${open.url}/ui/secret.key`)).res.status).toBe(404);
    const post = await raw(`${open.url}/ui/`, { method: 'POST' });
    expect(post.res.status).toBe(405);
    expect(JSON.parse(post.body.toString())).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it('keeps the bundle under 200 kB gzipped', () => {
    const size = (name: string) => gzipSizeOf(readFileSync(join(BUILT, name)));
    expect(size('app.js') + size('app.css') + size('index.html')).toBeLessThan(200 * 1024);
  });

  it('is served only on the admin listener when admin.port is set', async () => {
    const publicSide = await raw(`${separate.url}/ui/`);
    expect(publicSide.res.status).toBe(404);
    expect(JSON.parse(publicSide.body.toString())).toMatchObject({ error: { code: 'not_found' } });
    const adminSide = await raw(`${separate.control.adminUrl}/ui/`);
    expect(adminSide.res.status).toBe(200);
    expect((await raw(`${separate.control.adminUrl}/ui`)).res.headers.get('location')).toBe('/ui/');
  });

  it('is off without an admin key', async () => {
    const { res, body } = await raw(`${keyless.url}/ui/`);
    expect(res.status).toBe(404);
    expect(JSON.parse(body.toString())).toMatchObject({ error: { code: 'admin_disabled' } });
  });
});

/** A request with the path exactly as given (fetch would resolve the `..`). */
function rawStatus(base: string, path: string): Promise<number | undefined> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path }, (res) => {
      res.resume();
      resolve(res.statusCode);
    })
      .on('error', reject)
      .end();
  });
}

function gzipSizeOf(bytes: Buffer): number {
  return gzipSync(bytes).length;
}
