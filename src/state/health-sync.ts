/** A key changed state on one instance: cooling until a time, disabled, or active again. */
export interface KeyHealthChange {
  readonly kind: 'key';
  readonly upstream: string;
  /** The key's fingerprint, never the key. */
  readonly keyId: string;
  readonly status: 'active' | 'cooling' | 'disabled';
  /** Cooling or disabled until this time (ms since the epoch); 0 when active. */
  readonly until: number;
  readonly reason: string;
}

/** An upstream was ejected, came back, or an active health check found it down or up. */
export interface UpstreamHealthChange {
  readonly kind: 'upstream';
  readonly upstream: string;
  readonly status: 'healthy' | 'ejected' | 'probe-down' | 'probe-up';
  /** Ejected until this time; 0 otherwise. */
  readonly until: number;
  readonly reason: string;
}

export type HealthChange = KeyHealthChange | UpstreamHealthChange;

/**
 * Whether a change still holds at `now` and must reach an instance that starts later: a cooling
 * key or an ejected upstream until its time, a disabled key, an upstream a health check found
 * down. The others (active, healthy, probe-up) end a state and are not kept.
 */
export function inForce(change: HealthChange, now: number): boolean {
  if (change.kind === 'key') {
    return change.status === 'disabled' || (change.status === 'cooling' && change.until > now);
  }
  return change.status === 'probe-down' || (change.status === 'ejected' && change.until > now);
}

/** What a kept change replaces: one slot per key, and two per upstream (ejection, health check). */
export function slotOf(change: HealthChange): string {
  if (change.kind === 'key') return JSON.stringify(['key', change.upstream, change.keyId]);
  const probe = change.status === 'probe-down' || change.status === 'probe-up';
  return JSON.stringify([probe ? 'probe' : 'upstream', change.upstream]);
}

/**
 * Health state changes shared between gateway instances: each instance keeps deciding from
 * its own in-memory HealthRegistry (no I/O on the hot path), publishes the changes it makes,
 * and applies the ones the others publish. An instance never receives its own changes back.
 * A Redis driver maps this onto pub/sub; the memory driver reaches the instances of one
 * process that share a bus, and by default none (a no-op loopback).
 */
export interface HealthSync {
  /** Sends a change to the other instances; settles once it is sent. */
  publish(change: HealthChange): Promise<void>;
  /**
   * Calls `listener` with each change another instance publishes; returns the unsubscribe. A
   * driver that keeps the fleet's states (Redis, a shared memory bus) first hands every
   * subscriber the states other instances published that are still in force (`inForce`), and
   * hands them again after a reconnect: an instance that starts or comes back does not wait for
   * the next change to learn that a key is cooling.
   */
  subscribe(listener: (change: HealthChange) => void): () => void;
  /** Stops sending and receiving. */
  close(): Promise<void>;
}
