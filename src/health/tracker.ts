import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import type { Verdict } from './verdict';

/** One finished upstream attempt, as health, metrics and the request log see it. */
export interface AttemptRecord {
  readonly upstream: string;
  readonly key: string | null;
  readonly keyId: string | null;
  readonly status: number;
  readonly verdict: Verdict;
  readonly durationMs: number;
  /** Milliseconds from sending to the response head; undefined when no head arrived. */
  readonly ttfbMs?: number;
  readonly error?: string;
  /** Parsed `Retry-After`-style hint in milliseconds, when the upstream gave one. */
  readonly retryAfterMs?: number;
  /** The provider error marker that decided the verdict, when one did. */
  readonly marker?: string;
  /** The API the request was translated to for this attempt; undefined when passed through. */
  readonly format?: string;
}

/** Why nothing could take a request, and when something will again. */
export interface Unavailability {
  /**
   * 'rate_limited' when every usable member is only waiting out rate limits; 'keys_rejected' when
   * every member's keys are all disabled (the upstreams refused them).
   */
  readonly kind: 'rate_limited' | 'keys_rejected' | 'unavailable';
  /** Milliseconds until the earliest member recovers, when known. */
  readonly retryAfterMs: number | undefined;
  /** One line for the operator (log, request record); never sent to the client. */
  readonly detail: string;
}

/** What the selection path asks of health state, and what every attempt reports to it. */
export interface HealthTracker {
  upstreamUsable(upstream: Upstream, now: number): boolean;
  keyUsable(upstream: Upstream, key: UpstreamKey, now: number): boolean;
  record(upstream: Upstream, key: UpstreamKey | undefined, attempt: AttemptRecord, now: number): void;
  /**
   * The verdict of active health checks (after their healthy/unhealthy thresholds): an upstream
   * probed down stays out of rotation until probes find it healthy again.
   */
  setProbeState(upstream: Upstream, healthy: boolean, reason: string, now: number): void;
  /** A request is being sent to this upstream (the half-open trial is counted here). */
  onDispatch(upstream: Upstream, now: number): void;
  /** Explains why no member of these is usable (after selection found none). */
  explainUnavailable(members: readonly Upstream[], now: number): Unavailability;
}
