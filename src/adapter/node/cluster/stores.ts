import type { ConcurrencyStore } from '../../../state/concurrency-store';
import type { HealthChange, HealthSync } from '../../../state/health-sync';
import type { LimitDecision, LimiterStore, LimitRule } from '../../../state/limiter-store';
import type { QuotaCounter, QuotaCounterStore, Reservation } from '../../../state/quota-counter-store';
import type { PrimaryChannel } from './channel';

/**
 * The state interfaces of src/state/ answered by the cluster primary, whose memory drivers are
 * the one authority for every worker: each call is one IPC message with a request id, decided
 * in the primary's single thread, so a take or an acquire is as exact as in one process.
 */
export class IpcLimiterStore implements LimiterStore {
  constructor(private readonly channel: PrimaryChannel) {}

  take(key: string, rule: LimitRule, cost: number, now: number): Promise<LimitDecision> {
    return this.channel.call('limiter.take', key, rule, cost, now);
  }

  adjust(key: string, rule: LimitRule, ticket: number, delta: number, now: number): Promise<void> {
    return this.channel.call('limiter.adjust', key, rule, ticket, delta, now);
  }

  peek(key: string, rule: LimitRule, now: number): Promise<LimitDecision> {
    return this.channel.call('limiter.peek', key, rule, now);
  }
}

export class IpcConcurrencyStore implements ConcurrencyStore {
  constructor(private readonly channel: PrimaryChannel) {}

  acquire(name: string, limit: number): Promise<boolean> {
    return this.channel.call('concurrency.acquire', name, limit);
  }

  release(name: string): Promise<void> {
    return this.channel.call('concurrency.release', name);
  }

  count(name: string): Promise<number> {
    return this.channel.call('concurrency.count', name);
  }
}

export class IpcQuotaCounterStore implements QuotaCounterStore {
  constructor(private readonly channel: PrimaryChannel) {}

  read(name: string, start: number): Promise<QuotaCounter | undefined> {
    return this.channel.call('quota.read', name, start);
  }

  seed(name: string, start: number, used: number): Promise<void> {
    return this.channel.call('quota.seed', name, start, used);
  }

  reserve(name: string, start: number, limit: number, amount: number): Promise<Reservation> {
    return this.channel.call('quota.reserve', name, start, limit, amount);
  }

  settle(name: string, start: number, release: number | undefined, charge: number): Promise<void> {
    return this.channel.call('quota.settle', name, start, release, charge);
  }
}

/**
 * Health changes relayed by the primary to every other worker (a worker never hears its own).
 * With the primary gone, nothing is sent or received: health is local to the worker.
 */
export class IpcHealthSync implements HealthSync {
  private readonly listeners = new Set<(change: HealthChange) => void>();
  private closed = false;

  constructor(private readonly channel: PrimaryChannel) {
    channel.healthListeners.add(this.deliver);
  }

  async publish(change: HealthChange): Promise<void> {
    if (!this.closed) this.channel.send({ sy: 'health', change });
  }

  subscribe(listener: (change: HealthChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.channel.healthListeners.delete(this.deliver);
  }

  private readonly deliver = (change: HealthChange): void => {
    if (this.closed) return;
    for (const listener of this.listeners) listener(change);
  };
}
