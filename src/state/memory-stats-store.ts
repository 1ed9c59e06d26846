import type { StatsFields, StatsStore } from './stats-store';

/** The in-process driver (contract reference; instances made on one share its sums). */
export class MemoryStatsStore implements StatsStore {
  private readonly buckets = new Map<string, { fields: Map<string, number>; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async add(buckets: ReadonlyMap<string, StatsFields>, ttlMs: (bucket: string) => number): Promise<void> {
    const now = this.now();
    for (const [name, fields] of buckets) {
      const bucket = this.live(name, now) ?? { fields: new Map<string, number>(), until: 0 };
      for (const [field, amount] of fields)
        bucket.fields.set(field, (bucket.fields.get(field) ?? 0) + amount);
      bucket.until = now + ttlMs(name);
      this.buckets.set(name, bucket);
    }
  }

  async read(buckets: readonly string[]): Promise<StatsFields[]> {
    const now = this.now();
    return buckets.map((name) => new Map(this.live(name, now)?.fields ?? []));
  }

  private live(name: string, now: number) {
    const bucket = this.buckets.get(name);
    if (bucket && bucket.until <= now) this.buckets.delete(name);
    return bucket && bucket.until > now ? bucket : undefined;
  }
}
