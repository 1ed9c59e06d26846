/**
 * The limiter scripts: the same arithmetic as src/state/gcra.ts and src/state/sliding-window.ts,
 * in doubles as there, on the caller's clock (`now` is an argument). Numbers that may have a
 * fraction leave a script as `%.17g` text, which JavaScript reads back to the same double.
 *
 * KEYS[1]: a hash per limited key: `tat` (GCRA), `blocked` (refuse until), and for the sliding
 * window `seq` (last ticket), `sum` and one `c<ticket>` field per entry with its cost.
 * KEYS[2]: the window's entries, a sorted set of tickets scored by the time they were taken.
 * Both carry a TTL past the moment their state would be full again (garbage collection only:
 * the decision never depends on it).
 */
const COMMON = `
local function fmt(x) return string.format('%.17g', x) end
local function ttl(ms) return math.max(1000, math.ceil(ms) + 1000) end
local function blocked(limit, wait)
  return {0, limit, 0, fmt(wait), fmt(wait), 0}
end
`;

const GCRA = `
local function gcra_decision(tat, limit, period, now, allowed, retry)
  local reset = math.max(0, tat - now)
  local interval = period / limit
  local remaining = math.max(0, math.min(limit, math.floor((period - reset) / interval + 1e-9)))
  return {allowed, limit, remaining, fmt(reset), fmt(retry), allowed}
end
`;

const WINDOW = `
local function expire(h, log, period, now)
  local gone = redis.call('ZRANGEBYSCORE', log, '-inf', now - period)
  if #gone == 0 then return end
  local sum = tonumber(redis.call('HGET', h, 'sum') or '0')
  for _, ticket in ipairs(gone) do
    sum = sum - tonumber(redis.call('HGET', h, 'c' .. ticket) or '0')
    redis.call('HDEL', h, 'c' .. ticket)
  end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - period)
  if redis.call('ZCARD', log) == 0 then sum = 0 end
  redis.call('HSET', h, 'sum', fmt(sum))
end
local function window_decision(h, log, limit, period, now, allowed, retry, ticket)
  local sum = tonumber(redis.call('HGET', h, 'sum') or '0')
  local newest = redis.call('ZRANGE', log, -1, -1, 'WITHSCORES')
  local reset = 0
  if #newest > 0 then reset = math.max(0, tonumber(newest[2]) + period - now) end
  local remaining = math.max(0, math.floor(limit - sum + 1e-9))
  return {allowed, limit, remaining, fmt(reset), fmt(retry), ticket}
end
local function wait_for(h, log, limit, period, units, now)
  local sum = tonumber(redis.call('HGET', h, 'sum') or '0')
  local entries = redis.call('ZRANGE', log, 0, -1, 'WITHSCORES')
  local freed = 0
  for i = 1, #entries, 2 do
    freed = freed + tonumber(redis.call('HGET', h, 'c' .. entries[i]) or '0')
    if sum - freed + units <= limit + 1e-9 then return tonumber(entries[i + 1]) + period - now end
  end
  return period
end
`;

/** ARGV: algorithm, limit, periodMs, cost, now, blockMs. Returns [allowed, limit, remaining, resetMs, retryAfterMs, ticket]. */
export const TAKE = `${COMMON}${GCRA}${WINDOW}
local h, log = KEYS[1], KEYS[2]
local algorithm = ARGV[1]
local limit, period, cost, now, block = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local until_ = tonumber(redis.call('HGET', h, 'blocked') or '0')
if until_ > now then return blocked(limit, until_ - now) end
local result
local keep = period
if algorithm == 'gcra' then
  local tat = tonumber(redis.call('HGET', h, 'tat') or '0')
  local interval = period / limit
  local units = math.min(cost, limit)
  local new_tat = math.max(tat, now) + units * interval
  local allow_at = new_tat - period
  if allow_at > now then
    result = gcra_decision(tat, limit, period, now, 0, allow_at - now)
  else
    redis.call('HSET', h, 'tat', fmt(new_tat))
    keep = math.max(keep, new_tat - now)
    result = gcra_decision(new_tat, limit, period, now, 1, 0)
  end
else
  expire(h, log, period, now)
  local units = math.min(cost, limit)
  local sum = tonumber(redis.call('HGET', h, 'sum') or '0')
  if sum + units > limit + 1e-9 then
    result = window_decision(h, log, limit, period, now, 0, wait_for(h, log, limit, period, units, now), 0)
  else
    local ticket = redis.call('HINCRBY', h, 'seq', 1)
    redis.call('HSET', h, 'c' .. ticket, fmt(units), 'sum', fmt(sum + units))
    redis.call('ZADD', log, now, ticket)
    result = window_decision(h, log, limit, period, now, 1, 0, ticket)
  end
end
if result[1] == 0 and block > 0 then
  redis.call('HSET', h, 'blocked', fmt(now + block))
  keep = math.max(keep, block)
  result = blocked(limit, block)
end
if redis.call('EXISTS', h) == 1 then redis.call('PEXPIRE', h, ttl(keep)) end
if redis.call('EXISTS', log) == 1 then redis.call('PEXPIRE', log, ttl(keep)) end
return result
`;

/** ARGV: algorithm, limit, periodMs, ticket, delta, now. */
export const ADJUST = `${COMMON}
local h, log = KEYS[1], KEYS[2]
local algorithm = ARGV[1]
local limit, period, ticket, delta, now = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
if delta == 0 or redis.call('EXISTS', h) == 0 then return 0 end
if algorithm == 'gcra' then
  local tat = redis.call('HGET', h, 'tat')
  if not tat then return 0 end
  tat = tonumber(tat)
  local interval = period / limit
  if delta >= 0 then tat = math.max(tat, now) + delta * interval
  else tat = math.max(now, tat + delta * interval) end
  redis.call('HSET', h, 'tat', fmt(tat))
  if tat - now > redis.call('PTTL', h) then redis.call('PEXPIRE', h, ttl(tat - now)) end
  return 1
end
local cost = redis.call('HGET', h, 'c' .. ticket)
if not cost then return 0 end
cost = tonumber(cost)
local next_ = math.max(0, cost + delta)
local sum = tonumber(redis.call('HGET', h, 'sum') or '0')
redis.call('HSET', h, 'c' .. ticket, fmt(next_), 'sum', fmt(sum + next_ - cost))
return 1
`;

/** ARGV: algorithm, limit, periodMs, now. */
export const PEEK = `${COMMON}${GCRA}${WINDOW}
local h, log = KEYS[1], KEYS[2]
local algorithm = ARGV[1]
local limit, period, now = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local until_ = tonumber(redis.call('HGET', h, 'blocked') or '0')
if until_ > now then return blocked(limit, until_ - now) end
if algorithm == 'gcra' then
  local tat = tonumber(redis.call('HGET', h, 'tat') or '0')
  return gcra_decision(tat, limit, period, now, 1, 0)
end
expire(h, log, period, now)
return window_decision(h, log, limit, period, now, 1, 0, 0)
`;
