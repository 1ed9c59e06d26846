import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeSender } from '../../src/adapter/node/probe-sender';
import { probeCommand } from '../../src/cli/probe';
import type { ProbeSender } from '../../src/health/probe';
import { closedPortUrl } from '../helpers/closed-port';
import { type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';

/**
 * Time to first byte as the probe reports it, per upstream: the requests go over real sockets,
 * but the measured latency is replaced by these figures so the ranking and the statistics are
 * exact rather than timing-dependent.
 */
const TTFB_MS: Record<string, number> = { fast: 4, slow: 60, flaky: 10 };

describe('switchyard probe', () => {
  const real = createProbeSender();
  const send: ProbeSender = async (upstream, request, signal) => {
    const response = await real.send(upstream, request, signal);
    return { ...response, ttfbMs: TTFB_MS[upstream.name]! };
  };
  let fast: MockUpstream;
  let slow: MockUpstream;
  let flaky: MockUpstream;
  let configPath: string;

  beforeAll(async () => {
    fast = await startMock((_req, res) => sendJson(res, 200, { data: [] }));
    slow = await startMock((_req, res) => sendJson(res, 200, { data: [] }));
    flaky = await startMock((req, res) => sendJson(res, req.n % 2 === 0 ? 200 : 500, { n: req.n }));
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-probe-'));
    configPath = join(dir, 'switchyard.yaml');
    writeFileSync(
      configPath,
      `upstreams:
  - name: slow
    url: ${slow.url}
    keys: [sk-slow-secret-key-0001]
  - name: fast
    url: ${fast.url}/base
    keys: [sk-fast-secret-key-0001]
  - name: flaky
    url: ${flaky.url}
    provider: none
    health_check: { path: /ping, method: HEAD }
  - name: dead
    url: ${await closedPortUrl()}
`,
    );
  });

  afterAll(async () => {
    await Promise.all([fast.close(), slow.close(), flaky.close(), real.close()]);
  });

  async function run(args: string[]) {
    let out = '';
    let err = '';
    const code = await probeCommand(args, {
      env: {},
      cwd: '/',
      send,
      write: (text) => {
        out += text;
      },
      error: (text) => {
        err += text;
      },
    });
    return { code, out, err };
  }

  it('measures every upstream N times, ranks them and recommends an order', async () => {
    const { code, out } = await run(['--config', configPath, '--count', '4']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    const row = (name: string) =>
      lines.find((line) => line.includes(` ${name} `) || line.startsWith(`${name} `))!;
    expect(lines[2]).toMatch(/rank\s+upstream\s+ok\s+errors\s+min\s+avg\s+p50\s+p95\s+p99\s+max/);
    expect(row('fast')).toMatch(/^\s*1\s+fast\s+4\/4\s+0(\s+4\.0){6}$/);
    expect(row('slow')).toMatch(/^\s*2\s+slow\s+4\/4\s+0(\s+60\.0){6}$/);
    expect(row('flaky')).toMatch(/^\s*3\s+flaky\s+2\/4\s+2\s/);
    expect(row('dead')).toMatch(/^\s*-\s+dead\s+0\/4\s+4(\s+-){6}$/);
    expect(out).toContain('recommended order: fast, slow, flaky');
    expect(out).toContain('flaky: 2 error(s), last: status 500');
    expect(out).toContain('not answering: dead');
    expect(out).not.toContain('sk-fast-secret-key-0001');
    expect(
      fast.requests.every(
        (r) => r.url === '/base/v1/models' && r.headers.authorization === 'Bearer sk-fast-secret-key-0001',
      ),
    ).toBe(true);
    expect(flaky.requests.every((r) => r.url === '/ping' && r.method === 'HEAD')).toBe(true);
  });

  it('probes only the named upstreams, with another path, as JSON', async () => {
    const seen = fast.requests.length;
    const { code, out } = await run([
      '-c',
      configPath,
      '-n',
      '2',
      '-u',
      'fast',
      '--path',
      '/health',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      count: number;
      upstreams: { upstream: string; ok: number; latency: { p50: number } }[];
    };
    expect(report.count).toBe(2);
    expect(report.upstreams.map((u) => [u.upstream, u.ok])).toEqual([['fast', 2]]);
    expect(report.upstreams[0]!.latency.p50).toBe(4);
    expect(fast.requests.slice(seen).map((r) => r.url)).toEqual(['/base/health', '/base/health']);
  });

  it('exits 1 when nothing answers and 2 on a usage error', async () => {
    expect((await run(['-c', configPath, '-n', '1', '-u', 'dead'])).code).toBe(1);
    const unknown = await run(['-c', configPath, '-u', 'nope']);
    expect(unknown).toMatchObject({ code: 2, err: 'switchyard probe: unknown upstream "nope"\n' });
    expect((await run(['-c', configPath, '-n', '0'])).code).toBe(2);
  });
});
