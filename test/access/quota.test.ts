import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../helpers/errors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  chunkEvent,
  type MockUpstream,
  replyChat,
  sendJson,
  signal,
  startMock,
  startSse,
} from '../helpers/mock-upstream';

const KEY = 'sk-sy-alice-0123456789abcdef';
const ADMIN = 'sk-admin-key-for-tests-0000';
const NOW = Date.UTC(2026, 5, 10, 12);

function chat(gw: TestGateway, body: object = {}) {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
}

async function quotaStatus(gw: TestGateway) {
  const response = await fetch(`${gw.url}/admin/clients/alice`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  return ((await response.json()) as { usage: { quota: { used: number; reserved: number } } }).usage.quota;
}

describe('quotas and budgets', () => {
  let mock: MockUpstream;
  let gw: TestGateway;
  const dirs: string[] = [];

  afterEach(async () => {
    await gw?.stop(1000);
    await mock?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses once the quota is spent, before any upstream call, until the period ends', async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway(
      {
        admin: { key: ADMIN },
        upstreams: [{ name: 'mock', url: mock.url }],
        clients: [{ name: 'alice', key: KEY, quota: { tokens: 30, period: 'month' } }],
      },
      { now: () => NOW },
    );
    for (let i = 0; i < 3; i++) expect((await chat(gw)).status).toBe(200);
    const refused = await chat(gw);
    expect(refused.status).toBe(429);
    expect(await errorOf(refused)).toMatchObject({
      code: 'quota_exceeded',
      type: 'insufficient_quota',
    });
    expect(refused.headers.get('retry-after')).toBe(String((Date.UTC(2026, 6, 1) - NOW) / 1000));
    expect(mock.requests.length).toBe(3);
    expect(await quotaStatus(gw)).toMatchObject({ used: 36, reserved: 0 });
  });

  it('keeps what was used across a restart (real SQLite file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-quota-'));
    dirs.push(dir);
    mock = await startMock(replyChat());
    const config = {
      admin: { key: ADMIN },
      store: { path: join(dir, 'switchyard.db') },
      upstreams: [{ name: 'mock', url: mock.url }],
      clients: [{ name: 'alice', key: KEY, quota: { tokens: 24, period: 'day' as const } }],
    };
    gw = await startTestGateway(config, { now: () => NOW });
    expect((await chat(gw)).status).toBe(200);
    await gw.stop(1000);
    gw = await startTestGateway(config, { now: () => NOW });
    expect(await quotaStatus(gw)).toMatchObject({ used: 12 });
    expect((await chat(gw)).status).toBe(200);
    expect((await chat(gw)).status).toBe(429);
  });

  it('admits only the concurrent requests whose reservations fit in a nearly spent quota', async () => {
    const quota = 1000;
    const release = signal();
    let refused = 0;
    mock = await startMock(async (req, res) => {
      const first = req.n === 0;
      if (!first) await release.promise;
      const total = first ? 950 : 20;
      sendJson(res, 200, {
        choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 4, completion_tokens: total - 4, total_tokens: total },
      });
    });
    gw = await startTestGateway(
      {
        admin: { key: ADMIN },
        upstreams: [{ name: 'mock', url: mock.url }],
        clients: [{ name: 'alice', key: KEY, quota: { tokens: quota, period: 'month' } }],
      },
      { now: () => NOW },
    );
    expect((await chat(gw)).status).toBe(200);
    // each reserves 24: "hi" at 4 characters a token, message framing, max_tokens 20; 50 are left
    const all = Array.from({ length: 50 }, () =>
      chat(gw, { max_tokens: 20 }).then((response) => {
        if (response.status === 429) refused++;
        return response.status;
      }),
    );
    await vi.waitFor(() => expect(mock.requests.length - 1 + refused).toBe(50));
    release.fire();
    const statuses = await Promise.all(all);
    expect(statuses.filter((s) => s === 200).length).toBe(2);
    expect(refused).toBe(48);
    expect((await quotaStatus(gw)).used).toBe(990);
  });

  it('reserves n × max_tokens: 30 concurrent requests with n 50 get only what fits in 300 tokens', async () => {
    const release = signal();
    let refused = 0;
    mock = await startMock(async (_req, res) => {
      await release.promise;
      sendJson(res, 200, {
        choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 4, completion_tokens: 50, total_tokens: 54 },
      });
    });
    gw = await startTestGateway(
      {
        admin: { key: ADMIN },
        upstreams: [{ name: 'mock', url: mock.url }],
        clients: [{ name: 'alice', key: KEY, quota: { tokens: 300, period: 'month' } }],
      },
      { now: () => NOW },
    );
    const all = Array.from({ length: 30 }, () =>
      chat(gw, { max_tokens: 1, n: 50 }).then(async (response) => {
        if (response.status === 429) {
          refused++;
          expect((await errorOf(response)).code).toBe('quota_exceeded');
        }
        return response.status;
      }),
    );
    await vi.waitFor(() => expect(mock.requests.length + refused).toBe(30));
    expect((await quotaStatus(gw)).reserved).toBe(5 * 54); // 1 + 3 framing + 50 × 1, five times
    release.fire();
    const statuses = await Promise.all(all);
    expect(statuses.filter((s) => s === 200).length).toBe(5);
    expect(mock.requests.length).toBe(5);
    expect(await quotaStatus(gw)).toMatchObject({ used: 270, reserved: 0 });
  });

  it('charges a spending budget from model prices and refuses once it is spent', async () => {
    mock = await startMock(replyChat());
    gw = await startTestGateway(
      {
        admin: { key: ADMIN },
        upstreams: [{ name: 'mock', url: mock.url }],
        prices: { 'gpt-4o': { input: 1_000_000, output: 2_000_000 } },
        clients: [{ name: 'alice', key: KEY, budget: { usd: 30, period: 'total' } }],
      },
      { now: () => NOW },
    );
    expect((await chat(gw)).status).toBe(200);
    expect((await chat(gw)).status).toBe(200);
    const refused = await chat(gw);
    expect(refused.status).toBe(429);
    expect((await errorOf(refused)).code).toBe('budget_exceeded');
    expect(refused.headers.get('retry-after')).toBeNull();
    const response = await fetch(`${gw.url}/admin/clients/alice`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(((await response.json()) as { usage: { budget: { used: number } } }).usage.budget.used).toBe(38);
  });

  it('reserves the estimate while a stream runs, then charges the tokenizer count of what it streamed', async () => {
    const more = signal();
    // An upstream that reports no usage: the gateway counts the reply itself (o200k_base).
    mock = await startMock(async (_req, res) => {
      startSse(res);
      res.write(chunkEvent('gpt-4o', 'Summarise the following in one line: '));
      await more.promise;
      res.write(chunkEvent('gpt-4o', 'the quick brown fox jumps over '));
      res.end(`${chunkEvent('gpt-4o', 'the lazy dog.')}data: [DONE]\n\n`);
    });
    gw = await startTestGateway(
      {
        admin: { key: ADMIN },
        upstreams: [{ name: 'mock', url: mock.url }],
        clients: [{ name: 'alice', key: KEY, quota: { tokens: 10_000, period: 'month' } }],
      },
      { now: () => NOW },
    );
    const response = await chat(gw, { stream: true, max_tokens: 100 });
    const reader = response.body!.getReader();
    await reader.read();
    // The estimate: "hi" is 2 characters -> 1 token, + 3 for the message, + max_tokens 100.
    expect(await quotaStatus(gw)).toMatchObject({ used: 0, reserved: 104, limit: 10_000 });
    more.fire();
    while (!(await reader.read()).done) {}
    // gpt-tokenizer o200k_base: the reply text is 19 tokens; the prompt "hi" is 1, + 3 + 3 framing.
    await vi.waitFor(async () => expect(await quotaStatus(gw)).toMatchObject({ used: 26, reserved: 0 }));
  });
});
