import { type HealthChange, type HealthSync, inForce, slotOf } from './health-sync';

/** The medium the in-process instances share: every member hears every other one. */
export class MemoryHealthBus {
  readonly members = new Set<MemoryHealthSync>();
  /** The last change per slot, with its sender: what a member that joins later is handed. */
  readonly kept = new Map<string, { from: MemoryHealthSync; change: HealthChange }>();

  constructor(readonly now: () => number = Date.now) {}
}

/**
 * The in-process driver. Alone on its bus (the default) it is a no-op loopback: publishing
 * reaches nobody, and nothing arrives. Instances made on one bus behave like instances sharing
 * a Redis channel and its kept states. Changes arrive on a later microtask, as they would over
 * a network, and as copies.
 */
export class MemoryHealthSync implements HealthSync {
  private readonly listeners = new Set<(change: HealthChange) => void>();
  private closed = false;

  constructor(private readonly bus: MemoryHealthBus = new MemoryHealthBus()) {
    bus.members.add(this);
  }

  async publish(change: HealthChange): Promise<void> {
    if (this.closed) return;
    const slot = slotOf(change);
    if (inForce(change, this.bus.now())) this.bus.kept.set(slot, { from: this, change: { ...change } });
    else this.bus.kept.delete(slot);
    for (const member of this.bus.members) {
      if (member !== this) queueMicrotask(() => member.deliver({ ...change }));
    }
  }

  subscribe(listener: (change: HealthChange) => void): () => void {
    this.listeners.add(listener);
    const now = this.bus.now();
    for (const { from, change } of this.bus.kept.values()) {
      if (from !== this && inForce(change, now))
        queueMicrotask(() => !this.closed && listener({ ...change }));
    }
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.bus.members.delete(this);
  }

  private deliver(change: HealthChange): void {
    if (this.closed) return;
    for (const listener of this.listeners) listener(change);
  }
}
