import { randomBytes } from 'node:crypto';
import type { HealthChange, HealthSync } from '../../../state/health-sync';
import type { RedisLink } from './connection';

interface Envelope {
  readonly from: string;
  readonly change: HealthChange;
}

/**
 * The Redis driver of HealthSync: one pub/sub channel per prefix. Each message names the
 * instance that sent it, so an instance drops its own. Pub/sub keeps no history: an instance
 * that was disconnected misses what was sent meanwhile and decides from its own evidence
 * until the next change (docs/scale-out.md).
 */
export class RedisHealthSync implements HealthSync {
  private readonly id = randomBytes(8).toString('hex');
  private readonly listeners = new Set<(change: HealthChange) => void>();
  private readonly channel: string;
  private closed = false;
  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== this.channel || this.closed) return;
    const envelope = parse(message);
    if (!envelope || envelope.from === this.id) return;
    for (const listener of this.listeners) listener(envelope.change);
  };

  constructor(private readonly link: RedisLink) {
    this.channel = link.key('health');
    link.subscriber.on('message', this.onMessage);
    link.subscriber.subscribe(this.channel).catch(() => {});
  }

  /** Dropped while the link is down: each instance then decides from its own evidence. */
  async publish(change: HealthChange): Promise<void> {
    if (this.closed || !this.link.up) return;
    const envelope: Envelope = { from: this.id, change };
    await this.link.client.publish(this.channel, JSON.stringify(envelope));
  }

  subscribe(listener: (change: HealthChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.link.subscriber.off('message', this.onMessage);
    await this.link.subscriber.unsubscribe(this.channel).catch(() => {});
  }
}

function parse(message: string): Envelope | undefined {
  try {
    const value = JSON.parse(message) as Partial<Envelope>;
    if (typeof value.from !== 'string' || typeof value.change !== 'object' || value.change === null) {
      return undefined;
    }
    return value as Envelope;
  } catch {
    return undefined;
  }
}
