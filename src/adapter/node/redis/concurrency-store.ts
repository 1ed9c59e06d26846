import type { ConcurrencyStore } from '../../../state/concurrency-store';
import type { RedisLink } from './connection';
import { LuaScript, num } from './script';

/**
 * A counter left by an instance that died with requests in flight expires once nothing touched
 * it for this long (every acquire renews it), so a crash never holds places for ever.
 */
const IDLE_TTL_MS = 600_000;

const acquire = new LuaScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

const release = new LuaScript(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count <= 1 then redis.call('DEL', KEYS[1]) else redis.call('DECR', KEYS[1]) end
return 0
`);

/** The Redis driver: one counter per name; acquire checks and counts in one script. */
export class RedisConcurrencyStore implements ConcurrencyStore {
  constructor(private readonly link: RedisLink) {}

  async acquire(name: string, limit: number): Promise<boolean> {
    return num(await acquire.run(this.link.client, [this.key(name)], [limit, IDLE_TTL_MS])) === 1;
  }

  async release(name: string): Promise<void> {
    await release.run(this.link.client, [this.key(name)], []);
  }

  async count(name: string): Promise<number> {
    return Number((await this.link.client.get(this.key(name))) ?? 0);
  }

  private key(name: string): string {
    return this.link.key('running', name);
  }
}
