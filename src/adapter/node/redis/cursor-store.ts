import type { CursorStore, RotationMember, RotationTurn } from '../../../state/cursor-store';
import { type RotationMode, SMOOTH_LIMIT } from '../../../state/rotation';
import type { RedisLink } from './connection';
import { LuaScript, list, num } from './script';

/** A cursor nobody turned for this long is dropped (a route or upstream that was removed). */
const IDLE_TTL_MS = 7 * 24 * 3_600_000;

/**
 * One turn, atomically: INCR the rotation's counter, map the ticket to a member exactly as
 * `memberAt` (src/state/rotation.ts) does, INCR that member's key-pool counter if it has one.
 * KEYS: the rotation, then the key-pool cursors named by the members. ARGV: mode, the smooth
 * limit, the idle TTL, the member count n, n weights, n indexes into KEYS (0: no key cursor).
 */
const turn = new LuaScript(`
local ticket = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local n = tonumber(ARGV[4])
local weights = {}
for i = 1, n do weights[i] = math.max(1, math.floor(tonumber(ARGV[4 + i]))) end
local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end
local divisor = weights[1]
for i = 2, n do divisor = gcd(divisor, weights[i]) end
local total = 0
for i = 1, n do weights[i] = weights[i] / divisor; total = total + weights[i] end
local position = (ticket - 1) % total
local pick = n
if ARGV[1] == 'smooth' and total <= tonumber(ARGV[2]) then
  local score = {}
  for i = 1, n do score[i] = 0 end
  for step = 0, position do
    pick = 1
    for i = 1, n do
      score[i] = score[i] + weights[i]
      if score[i] > score[pick] then pick = i end
    end
    score[pick] = score[pick] - total
  end
else
  local point = position
  for i = 1, n do
    point = point - weights[i]
    if point < 0 then pick = i; break end
  end
end
local slot = tonumber(ARGV[4 + n + pick])
if slot == 0 then return {pick - 1, -1} end
local keyTicket = redis.call('INCR', KEYS[slot])
redis.call('PEXPIRE', KEYS[slot], ARGV[3])
return {pick - 1, keyTicket}
`);

/** The Redis driver: one counter per cursor under `<prefix>:cursor:`; a turn is one script. */
export class RedisCursorStore implements CursorStore {
  constructor(private readonly link: RedisLink) {}

  async turn(
    rotation: string,
    members: readonly RotationMember[],
    mode: RotationMode,
  ): Promise<RotationTurn> {
    if (members.length === 0) throw new Error('a rotation needs at least one member');
    const keys = [this.key(rotation)];
    const slots = members.map((member) => {
      if (member.keys === undefined) return 0;
      keys.push(this.key(member.keys));
      return keys.length;
    });
    const args = [mode, SMOOTH_LIMIT, IDLE_TTL_MS, members.length, ...members.map((m) => m.weight), ...slots];
    const reply = list(await turn.run(this.link.client, keys, args));
    const keyTicket = num(reply[1]);
    return { index: num(reply[0]), keyTicket: keyTicket < 0 ? undefined : keyTicket };
  }

  async peek(name: string): Promise<number> {
    return Number((await this.link.client.get(this.key(name))) ?? 0);
  }

  private key(name: string): string {
    return this.link.key('cursor', name);
  }
}
