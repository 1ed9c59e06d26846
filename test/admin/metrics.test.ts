import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noHealthTracking } from '../../src/health/no-tracking';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { chatCompletion, type MockUpstream, sendJson, startMock } from '../helpers/mock-upstream';
import { type ParsedMetrics, parseMetrics } from '../helpers/prometheus';

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('Prometheus /metrics', () => {
  let mock: MockUpstream;
  let gw: TestGateway;
  let metrics: ParsedMetrics;

  beforeAll(async () => {
    mock = await startMock((req, res) => {
      if (req.headers.authorization === 'Bearer sk-limited-0000000001') {
        sendJson(res, 429, { error: { message: 'slow down', type: 'rate_limit', code: null } });
      } else {
        // Usage figures no other part of the test uses: the token counters can only come from here.
        const reply = chatCompletion('gpt-4o', 'ok');
        sendJson(res, 200, {
          ...reply,
          usage: { prompt_tokens: 13, completion_tokens: 21, total_tokens: 34 },
        });
      }
    });
    gw = await startTestGateway(
      {
        admin: { key: ADMIN_KEY },
        server: { auth_keys: ['sk-client-00000000001'] },
        upstreams: [
          { name: 'mock', url: mock.url, keys: ['sk-limited-0000000001', 'sk-working-0000000001'] },
        ],
      },
      // Health state would cool the limited key down; these figures are about metrics only.
      { health: noHealthTracking },
    );
    const client = gw.client('sk-client-00000000001');
    await client.chat.completions.create(CHAT);
    await client.chat.completions.create(CHAT);
    await gw
      .client('wrong-client-key')
      .chat.completions.create(CHAT)
      .catch(() => undefined);
    const res = await admin(gw.url, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    metrics = parseMetrics(res.text);
  });

  afterAll(async () => {
    await gw.stop(1000);
    await mock.close();
  });

  const sample = (name: string, labels: Record<string, string>) => metrics.sample(name, labels);

  it('needs the admin key on the public port', async () => {
    expect((await admin(gw.url, 'GET', '/metrics', { key: null })).status).toBe(401);
    expect((await admin(gw.url, 'GET', '/metrics', { key: 'wrong' })).status).toBe(401);
  });

  it('counts requests by route, upstream, status and verdict', () => {
    expect(metrics.families.get('switchyard_requests_total')?.type).toBe('COUNTER');
    const ok = { route: 'default', upstream: 'mock', status: '200', verdict: 'success' };
    expect(sample('switchyard_requests_total', ok)).toBe('2');
    const refused = { route: 'none', upstream: 'none', status: '401', verdict: 'rejected' };
    expect(sample('switchyard_requests_total', refused)).toBe('1');
  });

  it('counts attempts and retries by verdict', () => {
    // Round robin gives each request the limited key first; the retry takes the other one.
    const limited = { upstream: 'mock', verdict: 'rate_limited' };
    expect(sample('switchyard_upstream_attempts_total', limited)).toBe('2');
    expect(sample('switchyard_upstream_attempts_total', { upstream: 'mock', verdict: 'success' })).toBe('2');
    expect(sample('switchyard_retries_total', { route: 'default', ...limited })).toBe('2');
  });

  it('has latency, TTFB and gateway-overhead histograms', () => {
    for (const name of [
      'switchyard_request_duration_seconds',
      'switchyard_ttfb_seconds',
      'switchyard_gateway_overhead_seconds',
    ]) {
      expect(metrics.families.get(name)?.type, name).toBe('HISTOGRAM');
      expect(sample(`${name}_count`, { route: 'default' }), name).toBe('2');
      expect(sample(`${name}_bucket`, { route: 'default', le: '+Inf' }), name).toBe('2');
      expect(Number(sample(`${name}_sum`, { route: 'default' })), name).toBeGreaterThan(0);
    }
  });

  it('shows in-flight, upstream and key state gauges and tokens', () => {
    expect(sample('switchyard_in_flight_requests', {})).toBe('0');
    expect(sample('switchyard_upstream_usable', { upstream: 'mock' })).toBe('1');
    expect(sample('switchyard_upstream_keys', { upstream: 'mock', state: 'usable' })).toBe('2');
    expect(sample('switchyard_upstream_keys', { upstream: 'mock', state: 'disabled' })).toBe('0');
    // Two successful requests, each reported by the upstream as 13 prompt and 21 completion tokens.
    expect(sample('switchyard_tokens_total', { route: 'default', type: 'input' })).toBe('26');
    expect(sample('switchyard_tokens_total', { route: 'default', type: 'output' })).toBe('42');
    expect(metrics.families.has('process_cpu_seconds_total')).toBe(true);
  });

  it("reports the event loop's delay (p50, p99, max) since the previous scrape", async () => {
    // The figures themselves are unit-tested with a fake sampler (src/adapter/node/loop-delay.test.ts):
    // here, the gauge is exported from the gateway's own monitor, in seconds, well below a second
    // on an idle loop.
    const parsed = parseMetrics((await admin(gw.url, 'GET', '/metrics')).text);
    for (const stat of ['p50', 'p99', 'max']) {
      const value = Number(parsed.sample('switchyard_event_loop_delay_seconds', { stat }));
      expect(value, stat).toBeGreaterThanOrEqual(0);
      expect(value, stat).toBeLessThan(1);
    }
  });

  it('has every series the Grafana dashboard queries', () => {
    const dashboard = readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
    const used = new Set(dashboard.match(/switchyard_[a-z_]+/g));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) {
      const family = name.replace(/_(bucket|sum|count)$/, '');
      expect(metrics.families.has(family), name).toBe(true);
    }
  });
});
