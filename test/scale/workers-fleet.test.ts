import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../helpers/admin';
import { chatCompletion, type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';
import { type Answer, type ClusterProcess, inParallel, send, startCluster } from './cluster-helpers';
import { eventually } from './redis-helpers';

const CLIENT = 'sk-sy-fleet-0123456789abcdef';
const ROTATED_KEYS = ['sk-upstream-rr-0000', 'sk-upstream-rr-0001', 'sk-upstream-rr-0002'];
const MAIN_KEY = 'sk-upstream-main-0003';

interface StatsReport {
  scope: string;
  total: { requests: number };
  upstreams: { name: string; requests: number }[];
}

/**
 * `server.workers: 2` without Redis, for what the fleet work shares through Redis: rotation
 * cursors, once-per-fleet jobs and the fleet's statistics go through the cluster primary.
 */
describe('two workers on one machine act as one gateway: rotation, jobs, statistics', () => {
  let mock: MockUpstream;
  let dir: string;
  let cluster: ClusterProcess;
  /** API requests sent (each answered 200): what the fleet's statistics must count. */
  let sent = 0;

  function chat(model: string): Promise<Answer> {
    sent++;
    return send(cluster.url, '/v1/chat/completions', {
      headers: { authorization: `Bearer ${CLIENT}` },
      body: { model, messages: [{ role: 'user', content: 'hi' }] },
    });
  }

  function adminCall(path: string): Promise<Answer> {
    return send(cluster.url, path, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  }

  /** The same admin GET answered by each worker (a new connection each time: either may take it). */
  async function fromEachWorker(path: string): Promise<Map<string, Answer>> {
    const answers = new Map<string, Answer>();
    await eventually(async () => {
      const answer = await adminCall(path);
      if (answer.worker !== undefined && !answers.has(answer.worker)) answers.set(answer.worker, answer);
      return answers.size === 2;
    }, 10_000);
    return answers;
  }

  beforeAll(async () => {
    mock = await startMock((req, res) => {
      if (req.url === '/ping') return sendJson(res, 200, { ok: true });
      sendJson(res, 200, chatCompletion(req.json<{ model: string }>().model, 'hello'));
    });
    dir = mkdtempSync(join(tmpdir(), 'switchyard-workers-fleet-'));
    const config = {
      server: { port: 0, workers: 2, log_format: 'json' },
      admin: { key: ADMIN_KEY },
      store: { path: join(dir, 'switchyard.db') },
      upstreams: [
        ...ROTATED_KEYS.map((key, i) => ({ name: `u${i}`, url: mock.url, keys: [key] })),
        { name: 'main', url: mock.url, keys: [MAIN_KEY], keepalive: { interval: '1s', path: '/ping' } },
      ],
      routes: [
        { name: 'rr', match: { model: 'rr' }, upstreams: ['u0', 'u1', 'u2'], strategy: 'round-robin' },
        { name: 'main', match: { model: 'gpt-4o' }, upstreams: ['main'] },
      ],
      clients: [{ name: 'fleet', key: CLIENT }],
    };
    writeFileSync(join(dir, 'switchyard.yaml'), JSON.stringify(config));
    cluster = await startCluster(join(dir, 'switchyard.yaml'));
  }, 60_000);

  afterAll(async () => {
    if (cluster && cluster.child.exitCode === null) cluster.child.kill('SIGKILL');
    await cluster?.exited;
    await mock?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rotates requests served by both workers over three upstreams in turn (30 → 10 each, in order)', async () => {
    const seen = mock.requests.length;
    const answers: Answer[] = [];
    // One at a time, each on a connection of its own: node:cluster hands them to both workers.
    for (let i = 0; i < 30; i++) answers.push(await chat('rr'));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(['0', '1']));
    const order = mock.requests
      .slice(seen)
      .map((r) => ROTATED_KEYS.findIndex((key) => r.headers.authorization === `Bearer ${key}`))
      .filter((index) => index >= 0);
    // One cursor for the machine: u0 u1 u2 in turn whichever worker serves. A cursor per worker
    // would send the first request of each worker to u0 (u0 u0 u1 u1 … as the workers alternate).
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i % 3));
    const again = await inParallel(30, 6, () => chat('rr'));
    expect(again.map((a) => a.status)).toEqual(Array(30).fill(200));
    const perKey = ROTATED_KEYS.map(
      (key) => mock.requests.filter((r) => r.headers.authorization === `Bearer ${key}`).length,
    );
    expect(perKey).toEqual([20, 20, 20]);
  });

  it('sends one keep-alive ping per interval from the machine, not one per worker', async () => {
    const pings = () => mock.requests.filter((r) => r.url === '/ping').length;
    await eventually(() => pings() >= 3, 10_000);
    const reports = await fromEachWorker('/admin/keepalive');
    const sent = [...reports.values()].map(
      (a) => (JSON.parse(a.body) as { upstreams: { sent: number }[] }).upstreams[0]?.sent ?? 0,
    );
    const total = sent.reduce((a, b) => a + b, 0);
    // Each worker ticked three times or more by now: without the lock there would be twice the pings.
    expect(sent.filter((n) => n > 0)).toHaveLength(1);
    expect(total).toBeGreaterThanOrEqual(3);
    // The mock may have seen one more, whose answer is still on its way.
    expect(pings() - total).toBeGreaterThanOrEqual(0);
    expect(pings() - total).toBeLessThanOrEqual(1);
  });

  it('GET /admin/stats?scope=fleet sums both workers; the default stays the answering worker', async () => {
    const answers = await inParallel(20, 4, () => chat('gpt-4o'));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const byWorker = new Map<string, number>();
    for (const a of answers) byWorker.set(a.worker!, (byWorker.get(a.worker!) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual(['0', '1']);
    const mainOf = (report: StatsReport) => report.upstreams.find((s) => s.name === 'main')?.requests ?? 0;
    const fleet = async () =>
      JSON.parse((await adminCall('/admin/stats?scope=fleet&window=minute')).body) as StatsReport;
    // Each worker adds its figures once a second; the one answering adds its own before reading.
    await eventually(async () => mainOf(await fleet()) === 20, 5_000);
    const report = await fleet();
    expect(report.scope).toBe('fleet');
    expect(report.total.requests).toBe(sent);
    const own = await fromEachWorker('/admin/stats?window=minute');
    for (const [worker, answer] of own) {
      const instance = JSON.parse(answer.body) as StatsReport;
      expect(mainOf(instance)).toBe(byWorker.get(worker));
    }
  });
});
