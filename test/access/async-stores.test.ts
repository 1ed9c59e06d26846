import { describe, expect, it } from 'vitest';
import { GatewayAccess } from '../../src/access/access';
import { type ConfigInput, configSchema } from '../../src/config/schema/index';
import { RequestContext } from '../../src/core/context';
import { GatewayError } from '../../src/core/errors';
import { MemoryConcurrencyStore } from '../../src/state/memory-concurrency-store';
import { MemoryLimiterStore } from '../../src/state/memory-limiter-store';
import { MemoryQuotaCounterStore } from '../../src/state/memory-quota-counter-store';

const KEY = 'sk-sy-alice-0123456789abcdef';
const NOW = Date.UTC(2026, 2, 18, 15, 30);

/**
 * A store whose every answer arrives on a later turn of the event loop, as a remote store's
 * would: the state changes when the call is made, the caller hears of it later.
 */
function late<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const answer = (value as (...a: unknown[]) => unknown).apply(target, args);
        return new Promise((resolve, reject) =>
          setImmediate(() => Promise.resolve(answer).then(resolve, reject)),
        );
      };
    },
  });
}

function config(input: ConfigInput) {
  return configSchema.parse({ store: { path: ':memory:' }, ...input });
}

function context(): RequestContext {
  const ctx = new RequestContext('id', 'POST', '/v1/chat/completions', 'h', '127.0.0.1', 'ua', 0, {});
  ctx.json = { model: 'm', messages: [], max_tokens: 100 };
  ctx.model = 'm';
  return ctx;
}

async function outcome(run: Promise<void>): Promise<string> {
  try {
    await run;
    return 'admitted';
  } catch (err) {
    if (err instanceof GatewayError) return err.code;
    throw err;
  }
}

describe('access control over stores that answer late', () => {
  it('admits one of two racing requests at concurrency 1, and settles the quota after release', async () => {
    const access = new GatewayAccess(
      config({
        clients: [
          { name: 'alice', key: KEY, limits: { concurrency: 1 }, quota: { tokens: 1000, period: 'month' } },
        ],
      }),
      {
        now: () => NOW,
        limiter: late(new MemoryLimiterStore()),
        concurrency: late(new MemoryConcurrencyStore()),
        quotaCounters: late(new MemoryQuotaCounterStore()),
      },
    );
    await access.ready;
    const [a, b] = [context(), context()];
    access.identify(a, { header: (name) => (name === 'authorization' ? `Bearer ${KEY}` : undefined) });
    access.identify(b, { header: (name) => (name === 'authorization' ? `Bearer ${KEY}` : undefined) });
    const results = await Promise.all([outcome(access.admit(a)), outcome(access.admit(b))]);
    expect(results.sort()).toEqual(['admitted', 'concurrency_limit_exceeded']);
    const admitted = results[0] === 'admitted' ? a : b;
    const refused = admitted === a ? b : a;
    expect(await access.limiter.inFlight('alice')).toBe(1);
    const client = access.directory.get('alice')!;
    expect((await access.ledger.status(client, NOW)).quota).toMatchObject({ used: 0, reserved: 100 });
    access.release(refused);
    access.release(admitted);
    await access.settled();
    expect(await access.limiter.inFlight('alice')).toBe(0);
    expect((await access.ledger.status(client, NOW)).quota).toMatchObject({ used: 0, reserved: 0 });
  });
});
