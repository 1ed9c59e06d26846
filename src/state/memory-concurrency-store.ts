import type { ConcurrencyStore } from './concurrency-store';

/** The in-process driver: one Map; every call has changed it before it returns. */
export class MemoryConcurrencyStore implements ConcurrencyStore {
  private readonly running = new Map<string, number>();

  acquire(name: string, limit: number): Promise<boolean> {
    const count = this.running.get(name) ?? 0;
    if (count >= limit) return Promise.resolve(false);
    this.running.set(name, count + 1);
    return Promise.resolve(true);
  }

  release(name: string): Promise<void> {
    const count = (this.running.get(name) ?? 1) - 1;
    if (count <= 0) this.running.delete(name);
    else this.running.set(name, count);
    return Promise.resolve();
  }

  count(name: string): Promise<number> {
    return Promise.resolve(this.running.get(name) ?? 0);
  }
}
