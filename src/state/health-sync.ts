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
 * Health state changes shared between gateway instances: each instance keeps deciding from
 * its own in-memory HealthRegistry (no I/O on the hot path), publishes the changes it makes,
 * and applies the ones the others publish. An instance never receives its own changes back.
 * A Redis driver maps this onto pub/sub; the memory driver reaches the instances of one
 * process that share a bus, and by default none (a no-op loopback).
 */
export interface HealthSync {
  /** Sends a change to the other instances; settles once it is sent. */
  publish(change: HealthChange): Promise<void>;
  /** Calls `listener` with each change another instance publishes; returns the unsubscribe. */
  subscribe(listener: (change: HealthChange) => void): () => void;
  /** Stops sending and receiving. */
  close(): Promise<void>;
}
