import { randomBytes } from 'node:crypto';
import type { RedisLink } from './connection';

const BEAT_MS = 5_000;
/** An instance not heard from for this long no longer counts. */
const GONE_MS = 15_000;

/**
 * How many instances share the state: each one writes its heartbeat into one sorted set every
 * 5 s and counts the members heard in the last 15 s. The last count is kept through an outage;
 * it sizes each instance's local share of a limit (src/adapter/node/redis/fallback.ts).
 */
export class FleetPresence {
  private readonly id = randomBytes(8).toString('hex');
  private readonly key: string;
  private timer: NodeJS.Timeout | undefined;
  size = 1;

  constructor(private readonly link: RedisLink) {
    this.key = link.key('instances');
  }

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), BEAT_MS);
    this.timer.unref();
  }

  async beat(): Promise<void> {
    if (!this.link.up) return;
    const now = Date.now();
    try {
      const replies = await this.link.client
        .multi()
        .zadd(this.key, now, this.id)
        .zremrangebyscore(this.key, '-inf', now - GONE_MS)
        .zcard(this.key)
        .pexpire(this.key, GONE_MS * 4)
        .exec();
      const count = Number(replies?.[2]?.[1] ?? 1);
      this.size = Math.max(1, count);
    } catch {
      // The link reports the outage; the last size stays.
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.link.up) await this.link.client.zrem(this.key, this.id).catch(() => 0);
  }
}
