import type { StatsFields, StatsStore } from '../../../state/stats-store';
import type { RedisLink } from './connection';

/**
 * The Redis driver: one hash per bucket, `<prefix>:stats:BUCKET`; an addition is one pipeline of
 * HINCRBY (and one PEXPIRE per bucket), a read one pipeline of HGETALL. Every instance adds into
 * the same hashes, so a read is already the fleet's sum.
 */
export class RedisStatsStore implements StatsStore {
  constructor(private readonly link: RedisLink) {}

  async add(buckets: ReadonlyMap<string, StatsFields>, ttlMs: (bucket: string) => number): Promise<void> {
    const batch = this.link.client.pipeline();
    for (const [bucket, fields] of buckets) {
      const key = this.key(bucket);
      for (const [field, amount] of fields) batch.hincrby(key, field, amount);
      batch.pexpire(key, ttlMs(bucket));
    }
    const replies = await batch.exec();
    const failed = replies?.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async read(buckets: readonly string[]): Promise<StatsFields[]> {
    const batch = this.link.client.pipeline();
    for (const bucket of buckets) batch.hgetall(this.key(bucket));
    const replies = (await batch.exec()) ?? [];
    return replies.map(([err, value]) => {
      if (err) throw err;
      const fields = new Map<string, number>();
      for (const [field, amount] of Object.entries((value ?? {}) as Record<string, string>)) {
        fields.set(field, Number(amount));
      }
      return fields;
    });
  }

  private key(bucket: string): string {
    return this.link.key('stats', bucket);
  }
}
