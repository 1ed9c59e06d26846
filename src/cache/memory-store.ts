import { type CacheEntry, type CacheStore, entrySize, type PurgeFilter, type StoreStats } from './store';

interface Slot {
  readonly entry: CacheEntry;
  readonly size: number;
}

/**
 * The in-process store: least recently used first out when the total size passes `maxBytes`;
 * an expired entry is dropped when it is next asked for (or evicted first by age of use).
 * A Map keeps insertion order, so re-inserting on every hit makes its first key the LRU one.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly slots = new Map<string, Slot>();
  private bytes = 0;
  private evictions = 0;

  constructor(
    private maxBytes: number,
    private readonly now: () => number,
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    if (slot.entry.expiresAt <= this.now()) {
      this.bytes -= slot.size;
      return undefined;
    }
    this.slots.set(key, slot);
    return slot.entry;
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const size = entrySize(key, entry);
    this.remove(key);
    if (size > this.maxBytes) return;
    this.slots.set(key, { entry, size });
    this.bytes += size;
    this.evict();
  }

  async purge(filter: PurgeFilter = {}): Promise<number> {
    let removed = 0;
    for (const [key, { entry }] of this.slots) {
      if (filter.route !== undefined && entry.route !== filter.route) continue;
      if (filter.model !== undefined && entry.model !== filter.model) continue;
      this.remove(key);
      removed++;
    }
    return removed;
  }

  async stats(): Promise<StoreStats> {
    return {
      entries: this.slots.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      evictions: this.evictions,
    };
  }

  resize(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.evict();
  }

  private evict(): void {
    for (const key of this.slots.keys()) {
      if (this.bytes <= this.maxBytes) return;
      this.remove(key);
      this.evictions++;
    }
  }

  private remove(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    this.bytes -= slot.size;
  }
}
