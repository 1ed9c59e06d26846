import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY } from '../helpers/admin';
import { chatCompletion, type MockUpstream, sendJson, signal, startMock } from '../helpers/mock-upstream';
import { parseMetrics } from '../helpers/prometheus';
import {
  type Answer,
  type ClusterProcess,
  inParallel,
  send,
  startCluster,
  workerPids,
} from './cluster-helpers';
import { eventually } from './redis-helpers';

const ALICE = 'sk-sy-alice-0123456789abcdef';
const BOB = 'sk-sy-bob-0123456789abcdef';
const CAROL = 'sk-sy-carol-0123456789abcdef';
const LIMITED_KEY = 'sk-upstream-limited-0001';
const GOOD_KEY = 'sk-upstream-good-0002';

/** `server.workers: 2` without Redis: the workers share everything through the primary. */
describe('two workers on one machine, no Redis', () => {
  let mock: MockUpstream;
  let dir: string;
  let cluster: ClusterProcess;
  let gate = signal();
  /** API requests sent (each answered): what /metrics and the request log must count. */
  let sent = 0;

  function chat(key: string, model = 'gpt-4o'): Promise<Answer> {
    sent++;
    return send(cluster.url, '/v1/chat/completions', {
      headers: { authorization: `Bearer ${key}` },
      body: { model, messages: [{ role: 'user', content: 'hi' }] },
    });
  }

  function adminCall(path: string, method = 'GET', body?: unknown): Promise<Answer> {
    return send(cluster.url, path, { method, headers: { authorization: `Bearer ${ADMIN_KEY}` }, body });
  }

  async function health(): Promise<{ workers: { running: number; restarts: number } }> {
    return JSON.parse((await send(cluster.url, '/health')).body);
  }

  beforeAll(async () => {
    mock = await startMock(async (req, res) => {
      if (req.headers.authorization === `Bearer ${LIMITED_KEY}`) {
        const error = { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' };
        sendJson(res, 429, { error }, { 'retry-after': '60' });
        return;
      }
      const { model } = req.json<{ model: string }>();
      if (model === 'slow') await gate.promise;
      sendJson(res, 200, chatCompletion(model, 'hello'));
    });
    dir = mkdtempSync(join(tmpdir(), 'switchyard-workers-'));
    const config = {
      server: { port: 0, workers: 2, log_format: 'json', shutdown_timeout: '20s' },
      admin: { key: ADMIN_KEY },
      store: { path: join(dir, 'switchyard.db') },
      upstreams: [
        { name: 'mock', url: mock.url, keys: [GOOD_KEY] },
        { name: 'two-keys', url: mock.url, keys: [LIMITED_KEY, GOOD_KEY] },
      ],
      routes: [
        { name: 'limited', match: { model: 'limited-*' }, upstreams: ['two-keys'] },
        { name: 'main', match: { model: ['gpt-4o', 'slow'] }, upstreams: ['mock'] },
      ],
      clients: [
        { name: 'alice', key: ALICE, limits: { rpm: 60 } },
        { name: 'bob', key: BOB, limits: { concurrency: 2 } },
        { name: 'carol', key: CAROL },
      ],
    };
    writeFileSync(join(dir, 'switchyard.yaml'), JSON.stringify(config));
    cluster = await startCluster(join(dir, 'switchyard.yaml'));
  }, 60_000);

  afterAll(async () => {
    gate.fire();
    if (cluster && cluster.child.exitCode === null) cluster.child.kill('SIGKILL');
    await cluster?.exited;
    await mock?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admits a client with rpm: 60 sixty times out of 100, whichever worker serves', async () => {
    const started = performance.now();
    const answers = await inParallel(100, 50, () => chat(ALICE));
    const elapsedS = (performance.now() - started) / 1000;
    const admitted = answers.filter((a) => a.status === 200).length;
    expect(answers.filter((a) => a.status === 429).length).toBe(100 - admitted);
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(['0', '1']));
    // GCRA: the whole allowance at once, then one more a second (the test runs for `elapsedS`).
    expect(admitted).toBeGreaterThanOrEqual(59);
    expect(admitted).toBeLessThanOrEqual(60 + Math.floor(elapsedS));
  });

  it('holds a client with concurrency: 2 to two requests in flight across the workers', async () => {
    gate = signal();
    const slowSeen = () => mock.requests.filter((r) => r.json<{ model: string }>().model === 'slow').length;
    const before = slowSeen();
    let settled = 0;
    const answers = Array.from({ length: 6 }, () =>
      chat(BOB, 'slow').then((a) => {
        settled++;
        return a;
      }),
    );
    await eventually(() => settled === 4 && slowSeen() - before === 2, 15_000);
    gate.fire();
    const all = await Promise.all(answers);
    expect(all.map((a) => a.status).sort()).toEqual([200, 200, 429, 429, 429, 429]);
    expect(new Set(all.map((a) => a.worker))).toEqual(new Set(['0', '1']));
  });

  it('takes a key that got a 429 in one worker out of the other', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await chat(CAROL, `limited-${i}`));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(['0', '1']));
    const limitedTries = mock.requests.filter((r) => r.headers.authorization === `Bearer ${LIMITED_KEY}`);
    expect(limitedTries.length).toBe(1);
  });

  it('applies a route added through the admin API in one worker in all of them', async () => {
    expect((await chat(CAROL, 'added-model')).status).toBe(404);
    const added = await adminCall('/admin/routes', 'POST', {
      name: 'added',
      match: { model: 'added-model' },
      upstreams: ['mock'],
    });
    expect(added.status).toBe(201);
    // The writer's reply does not wait for the others: they apply the change one IPC round trip later.
    const servedBy = new Set<string | undefined>();
    const took = await eventually(async () => {
      const answer = await chat(CAROL, 'added-model');
      if (answer.status === 200) servedBy.add(answer.worker);
      return servedBy.size === 2;
    }, 2_000);
    expect(took).toBeLessThan(1_000);
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await chat(CAROL, 'added-model'));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(['0', '1']));
  });

  it('counts every request of every worker in /metrics and in the one request log', async () => {
    const total = async () => {
      const metrics = parseMetrics((await adminCall('/metrics')).body);
      const family = metrics.families.get('switchyard_requests_total');
      return (family?.metrics ?? []).reduce((sum, m) => sum + Number((m as { value: string }).value), 0);
    };
    await eventually(async () => (await total()) === sent, 5_000);
    const logged = async () => JSON.parse((await adminCall('/admin/requests?limit=1000')).body).data.length;
    await eventually(async () => (await logged()) === sent, 10_000);
    const workers = parseMetrics((await adminCall('/metrics')).body).sample('switchyard_workers', {
      state: 'running',
    });
    expect(workers).toBe('2');
  });

  it('restarts a worker killed with SIGKILL, and serves on both again', async () => {
    const pids = workerPids(cluster.child);
    expect(pids.length).toBe(2);
    process.kill(pids[0]!, 'SIGKILL');
    // A connection handed to the killed worker before the primary saw it exit is reset: asked again.
    await eventually(async () => {
      const workers = await health().then(
        (h) => h.workers,
        () => undefined,
      );
      return workers?.running === 2 && workers.restarts === 1;
    }, 40_000);
    expect(cluster.output()).toContain('a worker exited: restarting it');
    expect(workerPids(cluster.child)).not.toContain(pids[0]);
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await chat(CAROL));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(['0', '1']));
  }, 60_000);

  it('drains a slow in-flight request on SIGTERM, then exits 0', async () => {
    gate = signal();
    const seen = mock.requests.length;
    const slow = chat(CAROL, 'slow');
    await eventually(() => mock.requests.length > seen, 5_000);
    const workers = workerPids(cluster.child);
    cluster.child.kill('SIGTERM');
    await eventually(() => cluster.output().includes('draining every worker'), 5_000);
    gate.fire();
    expect((await slow).status).toBe(200);
    expect(await cluster.exited).toBe(0);
    const alive = workers.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
