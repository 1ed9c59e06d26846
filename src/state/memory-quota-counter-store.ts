import type { QuotaCounter, QuotaCounterStore } from './quota-counter-store';

interface Counter {
  start: number;
  used: number;
  reserved: number;
}

/** The in-process driver: one Map; every call has changed it before it returns. */
export class MemoryQuotaCounterStore implements QuotaCounterStore {
  private readonly counters = new Map<string, Counter>();

  read(name: string, start: number): Promise<QuotaCounter | undefined> {
    const counter = this.current(name, start);
    return Promise.resolve(counter && { ...counter });
  }

  seed(name: string, start: number, used: number): Promise<void> {
    if (!this.counters.has(name)) this.counters.set(name, { start, used, reserved: 0 });
    return Promise.resolve();
  }

  reserve(name: string, start: number, limit: number, amount: number): Promise<boolean> {
    const counter = this.current(name, start);
    if (!counter || counter.used + counter.reserved >= limit) return Promise.resolve(false);
    counter.reserved += amount;
    return Promise.resolve(true);
  }

  settle(name: string, start: number, release: number, charge: number): Promise<void> {
    let counter = this.current(name, start);
    if (!counter) {
      counter = { start, used: 0, reserved: 0 };
      this.counters.set(name, counter);
    }
    counter.reserved = Math.max(0, counter.reserved - release);
    counter.used += charge;
    return Promise.resolve();
  }

  /** The counter, moved into the period starting at `start` when it is still in an earlier one. */
  private current(name: string, start: number): Counter | undefined {
    const counter = this.counters.get(name);
    if (counter && counter.start !== start) {
      counter.start = start;
      counter.used = 0;
    }
    return counter;
  }
}
