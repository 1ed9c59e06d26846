import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ADMIN_KEY } from '../helpers/admin';
import { launchBrowser, type TestBrowser, type WatchedPage } from '../helpers/browser';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { keyEcho, type MockUpstream, replyChat, sendJson, startMock } from '../helpers/mock-upstream';

const SHOTS = join(import.meta.dirname, '../../docs/console');
const FILE_TOKEN = 'sk-file-client-token-000001';
const ALPHA_KEY = 'sk-alpha-file-key-000001';
const BETA_KEYS = ['sk-beta-good-key-00000001', 'sk-beta-good-key-00000002', 'sk-beta-revoked-key-0003'];

/** Beta refuses its revoked key the way OpenAI does; both mocks name the key they were sent. */
function betaHandler(): Parameters<typeof startMock>[0] {
  return (req, res) => {
    if (req.headers.authorization === `Bearer ${BETA_KEYS[2]}`) {
      sendJson(res, 401, {
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      });
    } else replyChat()(req, res);
  };
}

describe('web console in Chromium', () => {
  let alpha: MockUpstream;
  let beta: MockUpstream;
  let dir: string;
  let gw: TestGateway;
  let browser: TestBrowser;
  let tab: WatchedPage;
  let page: Page;

  const client = (token = FILE_TOKEN) =>
    new OpenAI({ apiKey: token, baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 5000 });
  const chat = async (model: string, token?: string, requestId?: string) => {
    const reply = await client(token).chat.completions.create(
      { model, messages: [{ role: 'user', content: 'hi' }] },
      requestId ? { headers: { 'x-request-id': requestId } } : {},
    );
    return reply.choices[0]!.message.content ?? '';
  };
  const open = async (link: string, heading: string | RegExp = link) => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: link, exact: true })
      .click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    [alpha, beta] = await Promise.all([startMock(replyChat()), startMock(betaHandler())]);
    dir = mkdtempSync(join(tmpdir(), 'sy-console-'));
    gw = await startTestGateway({
      admin: { key: ADMIN_KEY },
      server: { auth_keys: [FILE_TOKEN] },
      store: { path: join(dir, 'switchyard.db') },
      upstreams: [
        {
          name: 'alpha',
          url: alpha.url,
          keys: [ALPHA_KEY],
          health_check: { interval: '1h' },
          keepalive: { interval: '1h', path: '/ping' },
        },
      ],
    });
    browser = await launchBrowser();
    tab = await browser.newPage();
    page = tab.page;
    mkdirSync(SHOTS, { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.stop(1000);
    await Promise.all([alpha?.close(), beta?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a wrong admin key and signs in with the right one, keeping it out of URLs and cookies', async () => {
    const started = performance.now();
    await page.goto(`${gw.url}/ui`);
    await page.getByLabel('Admin key').waitFor();
    const firstRenderMs = performance.now() - started;
    expect(page.url()).toBe(`${gw.url}/ui/`);
    expect(firstRenderMs).toBeLessThan(1000);
    await page.getByLabel('Admin key').fill('not-the-admin-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That admin key was refused.' }).waitFor();
    await shoot(page, 'sign-in');
    // with the keyboard only: the field, then Enter submits
    await page.getByLabel('Admin key').fill('');
    await page.getByLabel('Admin key').focus();
    await page.keyboard.type(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await browser.context.cookies()).toEqual([]);
    expect(await page.evaluate('[sessionStorage.length, localStorage.length]')).toEqual([1, 0]);
    expect(tab.requests.some((url) => url.includes(ADMIN_KEY))).toBe(false);
  });

  it('adds an upstream, imports keys and shows their validation results', async () => {
    await open('Upstreams');
    await page.getByText('Add an upstream').click();
    await page.getByLabel('Name', { exact: true }).fill('beta');
    await page.getByLabel('URL').fill(beta.url);
    await page.getByRole('button', { name: 'Add upstream' }).click();
    await page.getByRole('heading', { level: 1, name: 'beta' }).waitFor();
    await page.getByLabel('Keys to import').fill(`# three keys\n${BETA_KEYS.join('\n')}\n${BETA_KEYS[0]}\n`);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByRole('status').filter({ hasText: 'Added 3' });
    await summary.filter({ hasText: 'Valid: 2. Invalid: 1.' }).waitFor();
    expect(await summary.textContent()).toContain('skipped 1 duplicates');
    expect(await summary.textContent()).toContain('sk-...0003');
    expect(await summary.textContent()).toContain('sk-...0003: HTTP 401 (invalid_key)');
    await page.getByRole('row').filter({ hasText: 'sk-...0002' }).getByText('active').waitFor();
  });

  it('disables a key, and the gateway stops sending it', async () => {
    await page.getByLabel('Search keys').fill('...0002');
    const row = page.getByRole('row').filter({ hasText: 'sk-...0002' });
    await row.getByRole('button', { name: /^Disable sk-\.\.\.0002/ }).click();
    await row.getByRole('button', { name: /^Enable sk-\.\.\.0002/ }).waitFor();
    await gwRoute('to-beta', { model: 'beta-model' }, ['beta']);
    beta.requests.length = 0;
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add(await chat('beta-model'));
    expect([...answers]).toEqual([keyEcho(`Bearer ${BETA_KEYS[0]}`)]);
    expect(beta.requests.map((r) => r.headers.authorization)).not.toContain(`Bearer ${BETA_KEYS[1]}`);
  });

  it('changes a route in the console, and traffic follows it', async () => {
    expect(await chat('switch-model')).toBe(keyEcho(`Bearer ${ALPHA_KEY}`)); // the default route
    await open('Routes');
    await page.getByRole('button', { name: 'New route' }).click();
    const editor = page.getByLabel('Route definition (JSON)');
    await editor.fill(
      JSON.stringify({ name: 'switch', match: { model: 'switch-model' }, upstreams: ['nowhere'] }),
    );
    await page.getByRole('button', { name: 'Save route' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown upstream "nowhere"' }).waitFor();
    await editor.fill(
      JSON.stringify({ name: 'switch', match: { model: 'switch-model' }, upstreams: ['beta'] }),
    );
    await page.getByRole('button', { name: 'Save route' }).click();
    await page.getByRole('row').filter({ hasText: 'switch' }).getByText('beta').waitFor();
    expect(await chat('switch-model')).toBe(keyEcho(`Bearer ${BETA_KEYS[0]}`));
    await page.getByRole('button', { name: 'Edit switch' }).click();
    const edited = (await editor.inputValue()).replace('"beta"', '"alpha"');
    await editor.fill(edited);
    await page.getByRole('button', { name: 'Save route' }).click();
    await page.getByRole('row').filter({ hasText: 'switch' }).getByText('alpha').waitFor();
    expect(await chat('switch-model')).toBe(keyEcho(`Bearer ${ALPHA_KEY}`));
    await page.getByRole('row').filter({ hasText: 'default' }).getByText('read-only').waitFor();
  });

  it('creates a client token, shown once, that works through the API', async () => {
    await open('Clients');
    await page.getByLabel('Client name').fill('teammate');
    await page.getByLabel('Token quota').fill('100000');
    await page.getByRole('button', { name: 'Create client' }).click();
    const token = (await page.locator('#new-token').textContent())!.trim();
    expect(token.length).toBeGreaterThanOrEqual(16);
    await shoot(page, 'clients');
    expect(await chat('gpt-4o-mini', token)).toBe(keyEcho(`Bearer ${ALPHA_KEY}`));
    await expect(chat('gpt-4o-mini', `${token}x`)).rejects.toMatchObject({ status: 401 });
    await page.getByRole('button', { name: 'Done' }).click();
    await page
      .getByRole('row')
      .filter({ hasText: 'teammate' })
      .getByText(/ of 100,000 \(/)
      .waitFor();
  });

  it('finds a request in Requests and shows its attempts', async () => {
    await gwRoute('find', { model: 'find-me-model' }, ['alpha']);
    await chat('find-me-model', FILE_TOKEN, 'e2e-find-me-0001');
    await open('Requests');
    await page.getByLabel('Route').fill('find');
    await page.getByLabel('Verdict').selectOption('success');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count()).toBe(2); // the header and the one request
    await rows.filter({ hasText: 'find-me-model' }).waitFor();
    await shoot(page, 'requests');
    await rows.filter({ hasText: 'find-me-model' }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Request e2e-find-me-0001' }).waitFor();
    const attempts = page.getByRole('table', { name: 'Attempts, in order' });
    await attempts.getByRole('row').filter({ hasText: 'alpha' }).getByText('sk-...0001').waitFor();
    await attempts.getByText('success').waitFor();
  });

  it('moves between pages with the keyboard, and the overview updates without a reload', async () => {
    await open('Overview');
    const requests = page.locator('.tile').filter({ hasText: 'Requests' }).locator('.tile-value');
    await expect.poll(async () => /^\d+$/.test((await requests.textContent()) ?? '')).toBe(true);
    const before = Number(await requests.textContent());
    await chat('switch-model');
    await chat('switch-model');
    await expect.poll(async () => Number(await requests.textContent()), { timeout: 8000 }).toBe(before + 2);
    await page.getByRole('link', { name: 'Overview', exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Upstreams' }).waitFor();
    await expect.poll(() => page.evaluate('document.activeElement.textContent')).toBe('Upstreams');
  }, 15_000);

  it('sends a keep-alive ping now from Health and shows its result', async () => {
    await open('Health');
    const pings = page.getByRole('table', { name: 'Keep-alive pings' });
    await pings.getByRole('row').filter({ hasText: 'alpha' }).waitFor();
    await page.getByRole('button', { name: 'Ping alpha now' }).click();
    await pings.getByRole('row').filter({ hasText: 'alpha' }).getByText('success').first().waitFor();
    expect(alpha.requests.some((r) => r.url === '/ping')).toBe(true);
  });

  it('runs an active health check now from Health and shows its result', async () => {
    await open('Health');
    const checks = page.getByRole('table', { name: 'Active health checks' });
    await checks.getByRole('row').filter({ hasText: 'alpha' }).waitFor();
    const probes = alpha.requests.filter((r) => r.url === '/v1/models').length;
    alpha.handle((req, res) => {
      if (req.url === '/v1/models') sendJson(res, 503, { error: { message: 'warming up' } });
      else replyChat()(req, res);
    });
    try {
      await page.getByRole('button', { name: 'Run the health check of alpha now' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Health check of alpha: failed: status 503, expected 2xx (in rotation)' })
        .waitFor();
      await checks.getByRole('row').filter({ hasText: 'status 503, expected 2xx' }).waitFor();
    } finally {
      alpha.handle(replyChat());
    }
    expect(alpha.requests.filter((r) => r.url === '/v1/models').length).toBe(probes + 1);
    await page.getByRole('button', { name: 'Run the health check of alpha now' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Health check of alpha: passed (in rotation)' })
      .waitFor();
  });

  it('reloads the configuration file and exports the effective configuration as YAML', async () => {
    await open('Settings');
    await page.getByRole('button', { name: 'Reload the file' }).click();
    await page.getByRole('status').filter({ hasText: 'was read again and applied' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export as YAML' }).click(),
    ]);
    const exported = parseYaml(readFileSync((await download.path())!, 'utf8')) as {
      upstreams: { name: string; keys: number }[];
      admin: { key: string };
    };
    expect(exported.upstreams.map((u) => [u.name, u.keys])).toEqual([
      ['alpha', 1],
      ['beta', 2],
    ]);
    expect(exported.admin.key).toBe('admin-...0001');
    expect(readFileSync((await download.path())!, 'utf8')).not.toContain(ALPHA_KEY);
  });

  it('pages and searches 100,000 keys quickly', async () => {
    const keys = Array.from(
      { length: 100_000 },
      (_, i) => `sk-bulk-${String(i).padStart(8, '0')}-abcdefghijkl`,
    );
    await adminCall('POST', '/admin/upstreams', { name: 'bulk', url: beta.url });
    await adminCall('POST', '/admin/upstreams/bulk/keys', keys);
    let started = performance.now();
    await page.evaluate(`location.hash = '#/upstreams/bulk'`);
    await page.getByText('1–50 of 100,000').waitFor({ timeout: 10_000 });
    const openMs = performance.now() - started;
    started = performance.now();
    await page.getByLabel('Search keys').fill(keys[99_999]!);
    await page.getByText('1–1 of 1').waitFor({ timeout: 10_000 });
    const searchMs = performance.now() - started;
    console.info(
      `100,000 keys: page shown in ${openMs.toFixed(0)} ms, searched in ${searchMs.toFixed(0)} ms`,
    );
    expect(openMs).toBeLessThan(3000);
    expect(searchMs).toBeLessThan(3000);
    const rows = page.getByRole('table', { name: 'Keys of bulk' }).getByRole('row');
    expect(await rows.count()).toBe(2);
    expect(tab.requests.some((url) => url.includes(keys[99_999]!))).toBe(false); // searched by its id
    await page.getByLabel('Search keys').fill('');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('51–100 of 100,000').waitFor();
  }, 60_000);

  it('renders every page, light and dark, with no third-party request and no error', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [link, heading, shot] of PAGES) {
        await open(link, heading);
        await page.waitForLoadState('networkidle');
        await shoot(page, shot, scheme);
      }
      await open('Upstreams');
      await page.getByRole('link', { name: 'beta', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'beta' }).waitFor();
      await page.getByRole('table', { name: 'Keys of beta' }).waitFor();
      await shoot(page, 'upstream-keys', scheme);
      await page.evaluate(`location.hash = '#/requests/e2e-find-me-0001'`);
      await page.getByRole('table', { name: 'Attempts, in order' }).getByText('success').waitFor();
      await shoot(page, 'request-detail', scheme);
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await shoot(page, 'sign-in', 'dark');
    const origin = new URL(gw.url).origin;
    expect(tab.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    expect(tab.problems).toEqual([]);
  }, 30_000);

  async function adminCall(method: string, path: string, json: unknown) {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    expect(res.status).toBeLessThan(300);
  }

  async function gwRoute(name: string, match: Record<string, string>, upstreams: string[]) {
    const res = await fetch(`${gw.url}/admin/routes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, match, upstreams }),
    });
    expect(res.status).toBe(201);
  }
});

const PAGES = [
  ['Overview', 'Overview', 'overview'],
  ['Upstreams', 'Upstreams', 'upstreams'],
  ['Routes', 'Routes', 'routes'],
  ['Clients', 'Clients', 'clients'],
  ['Requests', 'Requests', 'requests'],
  ['Health', 'Health', 'health'],
  ['Settings', 'Settings', 'settings'],
] as const;

async function shoot(page: Page, name: string, scheme: 'light' | 'dark' = 'light'): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
}
