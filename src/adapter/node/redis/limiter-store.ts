import type { LimitDecision, LimiterStore, LimitRule } from '../../../state/limiter-store';
import type { RedisLink } from './connection';
import { ADJUST, PEEK, TAKE } from './limiter-lua';
import { LuaScript, list, num } from './script';

const take = new LuaScript(TAKE);
const adjust = new LuaScript(ADJUST);
const peek = new LuaScript(PEEK);

/**
 * The Redis driver of the shared limiter: one Lua script per call, so a take checks and counts
 * atomically however many instances share the key. The two keys of a limited key share a hash
 * tag, so the driver also works on a Redis Cluster.
 */
export class RedisLimiterStore implements LimiterStore {
  constructor(private readonly link: RedisLink) {}

  async take(key: string, rule: LimitRule, cost: number, now: number): Promise<LimitDecision> {
    const args = [rule.algorithm, rule.limit, rule.periodMs, cost, now, rule.blockMs ?? 0];
    return decision(rule, await take.run(this.link.client, this.keys(key), args));
  }

  async adjust(key: string, rule: LimitRule, ticket: number, delta: number, now: number): Promise<void> {
    const args = [rule.algorithm, rule.limit, rule.periodMs, ticket, delta, now];
    await adjust.run(this.link.client, this.keys(key), args);
  }

  async peek(key: string, rule: LimitRule, now: number): Promise<LimitDecision> {
    const args = [rule.algorithm, rule.limit, rule.periodMs, now];
    return decision(rule, await peek.run(this.link.client, this.keys(key), args));
  }

  private keys(key: string): [string, string] {
    const hash = this.link.key('limit', `{${key}}`);
    return [hash, `${hash}:log`];
  }
}

function decision(rule: LimitRule, reply: unknown): LimitDecision {
  const [allowed, , remaining, resetMs, retryAfterMs, ticket] = list(reply);
  return {
    allowed: num(allowed) === 1,
    limit: rule.limit,
    remaining: num(remaining),
    resetMs: num(resetMs),
    retryAfterMs: num(retryAfterMs),
    ticket: num(ticket),
  };
}
