import type { CacheEntry, CacheStore, PurgeFilter, StoreStats } from '../../../cache/store';
import { entrySize } from '../../../cache/store';
import { GatewayError } from '../../../core/errors';
import type { RedisLink } from './connection';
import { LuaScript, num } from './script';

/**
 * The keys under `<prefix>:cache:` (ARGV[1] is the prefix; ARGV[2] the operation):
 * `e:<key>` a hash (`m` the entry's fields as JSON, `b` the body) that Redis expires itself (PX);
 * `idx` a hash key → {s: size, r: route, m: model}; `lru` a sorted set by last use; `exp` one by
 * expiry; `route:<name>` and `model:<name>` sets of keys, for purges; `bytes` and `evictions` counters.
 * Every change of the index runs in this one script, so the counters stay exact across instances.
 */
const script = new LuaScript(`
local p = ARGV[1] .. ':cache:'
local function drop(key)
  local info = redis.call('HGET', p .. 'idx', key)
  if not info then return 0 end
  local i = cjson.decode(info)
  redis.call('HDEL', p .. 'idx', key)
  redis.call('ZREM', p .. 'lru', key)
  redis.call('ZREM', p .. 'exp', key)
  redis.call('SREM', p .. 'route:' .. i.r, key)
  if i.m ~= cjson.null then redis.call('SREM', p .. 'model:' .. i.m, key) end
  redis.call('DECRBY', p .. 'bytes', i.s)
  redis.call('DEL', p .. 'e:' .. key)
  return 1
end
local function sweep(now)
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', p .. 'exp', '-inf', now, 'LIMIT', 0, 100)) do drop(key) end
end
local function evict(max)
  while tonumber(redis.call('GET', p .. 'bytes') or '0') > max do
    local first = redis.call('ZRANGE', p .. 'lru', 0, 0)[1]
    if not first then break end
    drop(first)
    redis.call('INCR', p .. 'evictions')
  end
end
local op = ARGV[2]
if op == 'set' then
  local key, size, max, now = ARGV[3], tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
  local route, model, expires = ARGV[10], ARGV[11], ARGV[12]
  sweep(now)
  drop(key)
  if size > max then return 0 end
  redis.call('HSET', p .. 'e:' .. key, 'm', ARGV[4], 'b', ARGV[5])
  redis.call('PEXPIRE', p .. 'e:' .. key, ARGV[6])
  local m = cjson.null
  if model ~= '' then m = string.sub(model, 2) end
  redis.call('HSET', p .. 'idx', key, cjson.encode({s = size, r = route, m = m}))
  redis.call('ZADD', p .. 'lru', now, key)
  redis.call('ZADD', p .. 'exp', expires, key)
  redis.call('SADD', p .. 'route:' .. route, key)
  if m ~= cjson.null then redis.call('SADD', p .. 'model:' .. m, key) end
  redis.call('INCRBY', p .. 'bytes', size)
  evict(max)
  return 1
elseif op == 'trim' then
  sweep(ARGV[4])
  evict(tonumber(ARGV[3]))
  return 0
elseif op == 'drop' then
  return drop(ARGV[3])
else
  local keys
  if op == 'all' then keys = redis.call('ZRANGE', p .. 'lru', 0, -1)
  elseif op == 'route' then keys = redis.call('SMEMBERS', p .. 'route:' .. ARGV[3])
  elseif op == 'model' then keys = redis.call('SMEMBERS', p .. 'model:' .. ARGV[3])
  else keys = redis.call('SINTER', p .. 'route:' .. ARGV[3], p .. 'model:' .. ARGV[4]) end
  local removed = 0
  for _, key in ipairs(keys) do removed = removed + drop(key) end
  return removed
end
`);

type Meta = Omit<CacheEntry, 'body'>;

/**
 * The response cache shared by every instance on `state.url`. Memory in Redis is bounded by
 * `cache.max_size`: each entry is accounted with the same size as in memory, the least recently
 * used go first once the total passes the bound (of the instance storing), and an entry over the
 * bound is refused (the cache records none over MAX_ENTRY_BYTES). Entries also carry their TTL
 * (PX), so Redis frees an expired body on its own; its index record goes on the next store.
 * A Redis fault never fails a request: a lookup misses and a store is skipped (`onFault` hears it).
 */
export class RedisCacheStore implements CacheStore {
  constructor(
    private readonly link: RedisLink,
    private maxBytes: number,
    private readonly now: () => number,
    private readonly onFault: (err: unknown) => void = () => {},
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    try {
      const [meta, body] = await this.link.client.hmgetBuffer(this.entryKey(key), 'm', 'b');
      if (!meta || !body) return undefined;
      const fields = JSON.parse(meta.toString('utf8')) as Meta;
      const now = this.now();
      if (fields.expiresAt <= now) {
        await this.run(['drop', key]);
        return undefined;
      }
      await this.link.client.zadd(this.link.key('cache', 'lru'), 'XX', now, key);
      return { ...fields, body: new Uint8Array(body) };
    } catch (err) {
      this.onFault(err);
      return undefined;
    }
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const { body, ...fields } = entry;
    const now = this.now();
    const ttl = Math.max(1, entry.expiresAt - now);
    const size = entrySize(key, entry);
    const model = entry.model === null ? '' : `=${entry.model}`;
    try {
      await this.run([
        'set',
        key,
        JSON.stringify(fields),
        body,
        ttl,
        size,
        this.maxBytes,
        now,
        entry.route,
        model,
        entry.expiresAt,
      ]);
    } catch (err) {
      this.onFault(err);
    }
  }

  /** Rejects with `state_unavailable` while Redis cannot be reached (an admin route answers 503). */
  purge(filter: PurgeFilter = {}): Promise<number> {
    const { route, model } = filter;
    const args =
      route !== undefined && model !== undefined
        ? ['both', route, model]
        : route !== undefined
          ? ['route', route]
          : model !== undefined
            ? ['model', model]
            : ['all'];
    return unavailable(this.run(args).then(num));
  }

  /** Rejects with `state_unavailable` while Redis cannot be reached. */
  stats(): Promise<StoreStats> {
    const key = (name: string) => this.link.key('cache', name);
    const { client } = this.link;
    const read = Promise.all([
      client.zcard(key('lru')),
      client.get(key('bytes')),
      client.get(key('evictions')),
    ]);
    return unavailable(
      read.then(([entries, bytes, evictions]) => ({
        entries,
        bytes: Number(bytes ?? 0),
        maxBytes: this.maxBytes,
        evictions: Number(evictions ?? 0),
      })),
    );
  }

  resize(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.run(['trim', maxBytes, this.now()]).catch(this.onFault);
  }

  private run(args: (string | number | Uint8Array)[]): Promise<unknown> {
    return script.run(this.link.client, [], [this.link.prefix, ...args]);
  }

  private entryKey(key: string): string {
    return this.link.key('cache', 'e', key);
  }
}

function unavailable<T>(work: Promise<T>): Promise<T> {
  return work.catch((err: unknown) => {
    throw new GatewayError('state_unavailable', { cause: err });
  });
}
