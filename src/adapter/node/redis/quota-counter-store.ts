import type { QuotaCounter, QuotaCounterStore, Reservation } from '../../../state/quota-counter-store';
import type { RedisLink } from './connection';
import { LuaScript, list, num } from './script';

/**
 * One hash per counter: `start`, `used`, `reserved`, `holds`. Every script first moves a counter
 * still in an earlier period into the one starting at ARGV[1] (used back to zero, reservations
 * kept), as the memory driver does.
 */
const ROLL = `
local function fmt(x) return string.format('%.17g', x) end
local function roll(h, start)
  if tonumber(redis.call('HGET', h, 'start')) ~= start then
    redis.call('HSET', h, 'start', fmt(start), 'used', '0')
  end
end
local function figures(h)
  local v = redis.call('HMGET', h, 'used', 'reserved', 'holds')
  return tonumber(v[1]), tonumber(v[2]), tonumber(v[3])
end
`;

const read = new LuaScript(`${ROLL}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
roll(KEYS[1], tonumber(ARGV[1]))
local v = redis.call('HMGET', KEYS[1], 'start', 'used', 'reserved', 'holds')
return v
`);

const seed = new LuaScript(`${ROLL}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'start', fmt(tonumber(ARGV[1])), 'used', fmt(tonumber(ARGV[2])), 'reserved', '0', 'holds', '0')
return 1
`);

/** The admission rule of src/state/quota-counter-store.ts (\`admission\`), in one script. */
const reserve = new LuaScript(`${ROLL}
if redis.call('EXISTS', KEYS[1]) == 0 then return 'unseeded' end
roll(KEYS[1], tonumber(ARGV[1]))
local limit, amount = tonumber(ARGV[2]), tonumber(ARGV[3])
local used, reserved, holds = figures(KEYS[1])
local taken = used + reserved
if taken >= limit then return 'spent' end
if taken + amount > limit and holds > 0 then return 'no_room' end
redis.call('HSET', KEYS[1], 'reserved', fmt(reserved + amount), 'holds', holds + 1)
return 'reserved'
`);

/** \`afterRelease\` and the charge. ARGV[2] is '' when there is no hold to give back. */
const settle = new LuaScript(`${ROLL}
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'start', fmt(tonumber(ARGV[1])), 'used', '0', 'reserved', '0', 'holds', '0')
end
roll(KEYS[1], tonumber(ARGV[1]))
local used, reserved, holds = figures(KEYS[1])
if ARGV[2] ~= '' then
  holds = math.max(0, holds - 1)
  if holds == 0 then reserved = 0 else reserved = math.max(0, reserved - tonumber(ARGV[2])) end
end
redis.call('HSET', KEYS[1], 'used', fmt(used + tonumber(ARGV[3])), 'reserved', fmt(reserved), 'holds', holds)
return 0
`);

const OUTCOMES: readonly Reservation[] = ['reserved', 'spent', 'no_room', 'unseeded'];

/** The Redis driver: each call is one script, so reserve checks and holds atomically. */
export class RedisQuotaCounterStore implements QuotaCounterStore {
  constructor(private readonly link: RedisLink) {}

  async read(name: string, start: number): Promise<QuotaCounter | undefined> {
    const reply = await read.run(this.link.client, [this.key(name)], [start]);
    if (reply === null) return undefined;
    const [at, used, reserved, holds] = list(reply).map(num);
    return {
      start: at as number,
      used: used as number,
      reserved: reserved as number,
      holds: holds as number,
    };
  }

  async seed(name: string, start: number, used: number): Promise<void> {
    await seed.run(this.link.client, [this.key(name)], [start, used]);
  }

  async reserve(name: string, start: number, limit: number, amount: number): Promise<Reservation> {
    const reply = await reserve.run(this.link.client, [this.key(name)], [start, limit, amount]);
    const outcome = OUTCOMES.find((o) => o === reply);
    if (!outcome) throw new Error(`unexpected quota reply from Redis: ${String(reply)}`);
    return outcome;
  }

  async settle(name: string, start: number, release: number | undefined, charge: number): Promise<void> {
    await settle.run(this.link.client, [this.key(name)], [start, release ?? '', charge]);
  }

  private key(name: string): string {
    // Names hold a NUL between kind and client (`tokens\\0alice`): shown as `:` in the key.
    return this.link.key('quota', name.replace('\0', ':'));
  }
}
