import { randomBytes } from 'node:crypto';
import { type HealthChange, type HealthSync, inForce, slotOf } from '../../../state/health-sync';
import type { RedisLink } from './connection';

interface Envelope {
  readonly from: string;
  readonly change: HealthChange;
}

/** The kept states' hash expires when no change touched it for this long. */
const KEPT_TTL_MS = 30 * 24 * 3_600_000;

/**
 * The Redis driver of HealthSync: one pub/sub channel per prefix, and a hash `<prefix>:health:state`
 * with the last change per key and upstream that is still in force, written in the same
 * MULTI as the PUBLISH (one round trip). Each message names the instance that sent it, so an
 * instance drops its own. Pub/sub keeps no history: an instance that starts, or whose link comes
 * back, reads the hash and applies what other instances left there (expired entries are skipped
 * and removed), then follows the channel.
 */
export class RedisHealthSync implements HealthSync {
  private readonly id = randomBytes(8).toString('hex');
  private readonly listeners = new Set<(change: HealthChange) => void>();
  private readonly channel: string;
  private readonly kept: string;
  private closed = false;
  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== this.channel || this.closed) return;
    const envelope = parse(message);
    if (!envelope || envelope.from === this.id) return;
    for (const listener of this.listeners) listener(envelope.change);
  };
  private readonly stopWatching: () => void;

  constructor(
    private readonly link: RedisLink,
    private readonly now: () => number = Date.now,
  ) {
    this.channel = link.key('health');
    this.kept = link.key('health', 'state');
    link.subscriber.on('message', this.onMessage);
    link.subscriber.subscribe(this.channel).catch(() => {});
    this.stopWatching = link.onChange((up) => {
      if (up) void this.restore();
    });
  }

  /** Dropped while the link is down: each instance then decides from its own evidence. */
  async publish(change: HealthChange): Promise<void> {
    if (this.closed || !this.link.up) return;
    const envelope = JSON.stringify({ from: this.id, change } satisfies Envelope);
    const slot = slotOf(change);
    const batch = this.link.client.multi().publish(this.channel, envelope);
    if (inForce(change, this.now())) batch.hset(this.kept, slot, envelope).pexpire(this.kept, KEPT_TTL_MS);
    else batch.hdel(this.kept, slot);
    await batch.exec();
  }

  subscribe(listener: (change: HealthChange) => void): () => void {
    this.listeners.add(listener);
    if (this.link.up) void this.restore(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Hands the listeners (or one) the states other instances kept that still hold; removes the
   * expired ones. A failure leaves the instance on its own evidence until the next change.
   */
  async restore(only?: (change: HealthChange) => void): Promise<void> {
    let entries: Record<string, string>;
    try {
      entries = await this.link.client.hgetall(this.kept);
    } catch {
      return;
    }
    const now = this.now();
    const expired: string[] = [];
    for (const [slot, message] of Object.entries(entries)) {
      const envelope = parse(message);
      if (!envelope || !inForce(envelope.change, now)) expired.push(slot);
      else if (envelope.from !== this.id && !this.closed) {
        for (const listener of only ? [only] : this.listeners) listener(envelope.change);
      }
    }
    if (expired.length > 0) await this.link.client.hdel(this.kept, ...expired).catch(() => 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWatching();
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
