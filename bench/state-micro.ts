/**
 * The client side of what `state.url` adds to one request, without HTTP (whose figures a loaded
 * machine blurs; bench/state-cost.ts measures through the gateway): the client's rpm check (one GCRA
 * script) and the rotation's turn (one script), sent together as the lifecycle sends them, on
 * the memory drivers and on Redis. Reports wall µs and CPU µs per request (sequential requests)
 * and the Redis round trips. `npx tsx bench/state-micro.ts [--redis URL] [--n 20000]`.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { RedisLink } from '../src/adapter/node/redis/connection';
import { RedisCursorStore } from '../src/adapter/node/redis/cursor-store';
import { RedisLimiterStore } from '../src/adapter/node/redis/limiter-store';
import type { CursorStore } from '../src/state/cursor-store';
import type { LimiterStore, LimitRule } from '../src/state/limiter-store';
import { MemoryCursorStore } from '../src/state/memory-cursor-store';
import { MemoryLimiterStore } from '../src/state/memory-limiter-store';

const { values } = parseArgs({
  options: {
    redis: { type: 'string', default: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0' },
    n: { type: 'string', default: '20000' },
  },
});
const N = Number(values.n);
const RULE: LimitRule = { algorithm: 'gcra', limit: 100_000_000, periodMs: 60_000 };
const MEMBERS = [{ weight: 1, keys: 'keys:mock' }];

async function measure(name: string, limiter: LimiterStore, cursors: CursorStore | undefined) {
  const run = async (i: number) => {
    const turn = cursors?.turn('route:default', MEMBERS, 'blocks');
    await limiter.take('client:rpm:bench', RULE, 1, Date.now() + i * 0);
    await turn;
  };
  for (let i = 0; i < 2_000; i++) await run(i);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < N; i++) await run(i);
  const wallUs = ((performance.now() - start) * 1000) / N;
  const used = process.cpuUsage(cpu);
  const cpuUs = (used.user + used.system) / N;
  return `| ${name} | ${wallUs.toFixed(1)} | ${cpuUs.toFixed(1)} |`;
}

async function main(): Promise<void> {
  const link = new RedisLink(values.redis, `sy-bench-${randomBytes(4).toString('hex')}`, 5_000);
  await link.ready();
  const rows = [
    '| per request | wall µs | CPU µs (this process) |',
    '| --- | ---: | ---: |',
    await measure('memory: rpm check', new MemoryLimiterStore(), undefined),
    await measure('memory: rpm check + rotation turn', new MemoryLimiterStore(), new MemoryCursorStore()),
    await measure('Redis: rpm check (1 EVALSHA)', new RedisLimiterStore(link), undefined),
    await measure(
      'Redis: rpm check + rotation turn (2 EVALSHA, sent together)',
      new RedisLimiterStore(link),
      new RedisCursorStore(link),
    ),
  ];
  const keys = await link.client.keys(`${link.prefix}:*`);
  if (keys.length > 0) await link.client.del(...keys);
  await link.close();
  process.stdout.write(`${rows.join('\n')}\n`);
}

void main();
