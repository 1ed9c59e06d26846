import type { ConcurrencyStore } from '../../../state/concurrency-store';
import { type HealthChange, type HealthSync, slotOf } from '../../../state/health-sync';
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
  /**
   * Changes that arrived before the first listener: the primary hands a joining worker the
   * states in force at once, usually before the gateway has subscribed. The last one per slot.
   */
  private early: Map<string, HealthChange> | undefined = new Map();
  private closed = false;

  constructor(private readonly channel: PrimaryChannel) {
    channel.healthListeners.add(this.deliver);
  }

  /** Settles once the primary has taken the change (the others hear it on their next turn). */
  async publish(change: HealthChange): Promise<void> {
    if (this.closed) return;
    // A primary that does not answer leaves health local (docs/scale-out.md, fault policy).
    await this.channel.call('health.publish', change).catch(() => undefined);
  }

  subscribe(listener: (change: HealthChange) => void): () => void {
    this.listeners.add(listener);
    const early = this.early;
    this.early = undefined;
    for (const change of early?.values() ?? []) queueMicrotask(() => !this.closed && listener(change));
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.early = undefined;
    this.listeners.clear();
    this.channel.healthListeners.delete(this.deliver);
  }

  private readonly deliver = (change: HealthChange): void => {
    if (this.closed) return;
    if (this.early) this.early.set(slotOf(change), change);
    for (const listener of this.listeners) listener(change);
  };
}
