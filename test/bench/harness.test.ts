/** Smoke tests of the benchmark harness's pieces; the benchmark itself runs with `npm run bench`. */
import { describe, expect, it } from 'vitest';
import { benchKeys, CLIENT_KEY } from '../../bench/config/keys';
import { nginxConfig } from '../../bench/config/nginx-config';
import { portkeyConfigHeader } from '../../bench/config/portkey-config';
import { routeEntry, switchyardConfig } from '../../bench/config/switchyard-config';
import { ChunkedDecoder } from '../../bench/load/chunked';
import { startMockServer } from '../../bench/mock/server';
import { median, percentile, summarize } from '../../bench/report/stats';
import { fixed, markdownTable, ratio } from '../../bench/report/table';
import { nginxNeedsWorkers } from '../../bench/scenarios/streams';
import { parseConfigText } from '../../src/config/parse';

describe('bench config generators', () => {
  it('writes a Switchyard config the real schema accepts, with the keys and routes asked for', () => {
    const yaml = switchyardConfig({
      port: 9999,
      upstreamUrl: 'http://127.0.0.1:1234',
      keys: benchKeys(10),
      routes: 25,
      storePath: '/tmp/bench.db',
    });
    const config = parseConfigText(yaml, '/tmp/bench.yaml', {});
    expect(config.upstreams[0]!.keys).toHaveLength(10);
    expect(config.upstreams[0]!.keys[3]).toBe('sk-bench-000003');
    expect(config.routes).toHaveLength(25);
    expect(config.server.auth_keys).toEqual([CLIENT_KEY]);
  });

  it('leaves routes out when none are asked for (the default route)', () => {
    const yaml = switchyardConfig({
      port: 1,
      upstreamUrl: 'http://127.0.0.1:2',
      routes: 0,
      storePath: 'x.db',
    });
    expect(parseConfigText(yaml, '/tmp/x.yaml', {}).routes).toBeUndefined();
  });

  it('with matching on, only the last route matches the benchmark model', () => {
    expect(routeEntry(0, 3, 'mock', true).match).toEqual({ model: 'bench-unused-0' });
    expect(routeEntry(2, 3, 'mock', true).match).toEqual({ model: 'gpt-4o-mini' });
    expect(routeEntry(2, 3, 'mock', false).match).toBeUndefined();
  });

  it('configures nginx with one upstream block of per-key servers, each with its own Authorization', () => {
    const conf = nginxConfig({
      prefix: '/tmp/n',
      port: 8000,
      keyPorts: [8001, 8002],
      keys: ['sk-bench-a', 'sk-bench-b'],
      upstream: '127.0.0.1:7000',
      workers: 1,
      workerConnections: 1000,
      upstreamKeepAliveSeconds: 2,
    });
    expect(conf.match(/upstream keys \{/g)).toHaveLength(1);
    expect(conf).toContain('server 127.0.0.1:8001;');
    expect(conf).toContain('proxy_set_header Authorization "Bearer sk-bench-b";');
    expect(conf).not.toContain('reuseport');
  });

  it('gives Portkey one load-balanced target per key on the mock', () => {
    const config = JSON.parse(portkeyConfigHeader('http://127.0.0.1:5', ['k1', 'k2']));
    expect(config.strategy.mode).toBe('loadbalance');
    expect(config.targets[1]).toEqual({
      provider: 'openai',
      api_key: 'k2',
      custom_host: 'http://127.0.0.1:5/v1',
    });
  });

  it('moves nginx to several workers only where 4 descriptors per stream exceed the limit', () => {
    expect(nginxNeedsWorkers(1000, 20_000)).toBe(false);
    expect(nginxNeedsWorkers(9900, 20_000)).toBe(true);
  });
});

describe('bench report', () => {
  it('formats a markdown table with right-aligned numbers and dashes for missing values', () => {
    const table = markdownTable(
      ['target', 'req/s', 'ratio'],
      [
        ['direct', 31_497.4, ratio(10, 10)],
        ['portkey', Number.NaN, ratio(1, 0)],
      ],
    );
    expect(table.split('\n')).toEqual([
      '| target  |  req/s | ratio |',
      '| ------- | -----: | ----- |',
      '| direct  | 31,497 | 1.00× |',
      '| portkey |      – | –     |',
    ]);
  });

  it('rounds by magnitude', () => {
    expect(fixed(0.3456)).toBe('0.35');
    expect(fixed(45.67)).toBe('45.7');
    expect(fixed(1234.5)).toBe('1,235');
    expect(fixed(10)).toBe('10');
  });

  it('computes nearest-rank percentiles and medians', () => {
    const samples = Float64Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const s = summarize(samples);
    expect([s.p50, s.p99, s.p999, s.max]).toEqual([500, 990, 999, 1000]);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('bench mock upstream', () => {
  it('refuses a request without a bench key, answers one with a key, and streams timed events', async () => {
    const mock = await startMockServer(0, '127.0.0.1', { chunks: 3, intervalMs: 1, delayMs: 1 });
    const url = `http://127.0.0.1:${mock.port}/v1/chat/completions`;
    const post = (body: object, key?: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
    expect((await post({ model: 'm' })).status).toBe(401);
    const completion = await post({ model: 'bench-slow' }, 'sk-bench-1');
    expect(((await completion.json()) as { object: string }).object).toBe('chat.completion');
    const text = await (await post({ model: 'm', stream: true }, 'sk-bench-1')).text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events).toHaveLength(4);
    expect(events[3]).toBe('data: [DONE]');
    expect(events[0]).toMatch(/"content":"\d+"/);
    mock.close();
  });
});

describe('bench SSE client', () => {
  it('decodes a chunked body however the bytes are split', () => {
    const wire = '5\r\nhello\r\n19\r\n world, in one more chunk\r\n0\r\n\r\n';
    for (const size of [1, 2, 3, 7, wire.length]) {
      let out = '';
      const decoder = new ChunkedDecoder((data) => {
        out += data;
      });
      for (let i = 0; i < wire.length; i += size) decoder.push(wire.slice(i, i + size));
      expect(out).toBe('hello world, in one more chunk');
      expect(decoder.finished).toBe(true);
    }
  });
});
