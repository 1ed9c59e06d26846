import {
  admission,
  afterRelease,
  type QuotaCounter,
  type QuotaCounterStore,
  type Reservation,
} from './quota-counter-store';

interface Counter {
  start: number;
  used: number;
  reserved: number;
  holds: number;
}

/** The in-process driver: one Map; every call has changed it before it returns. */
export class MemoryQuotaCounterStore implements QuotaCounterStore {
  private readonly counters = new Map<string, Counter>();

  read(name: string, start: number): Promise<QuotaCounter | undefined> {
    const counter = this.current(name, start);
    return Promise.resolve(counter && { ...counter });
  }

  seed(name: string, start: number, used: number): Promise<void> {
    if (!this.counters.has(name)) this.counters.set(name, { start, used, reserved: 0, holds: 0 });
    return Promise.resolve();
  }

  reserve(name: string, start: number, limit: number, amount: number): Promise<Reservation> {
    const counter = this.current(name, start);
    if (!counter) return Promise.resolve('unseeded');
    const outcome = admission(counter, limit, amount);
    if (outcome === 'reserved') {
      counter.reserved += amount;
      counter.holds++;
    }
    return Promise.resolve(outcome);
  }

  settle(name: string, start: number, release: number | undefined, charge: number): Promise<void> {
    let counter = this.current(name, start);
    if (!counter) {
      counter = { start, used: 0, reserved: 0, holds: 0 };
      this.counters.set(name, counter);
    }
    if (release !== undefined) Object.assign(counter, afterRelease(counter, release));
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
