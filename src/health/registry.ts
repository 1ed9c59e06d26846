import type { HealthPolicy } from '../config/schema/index';
import type { Logger } from '../observe/logger';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import type { HealthChange, HealthSync } from '../state/health-sync';
import {
  activate,
  applyKeyVerdict,
  KeyState,
  type KeyStatus,
  keyAvailable,
  type Transition,
} from './key-state';
import { applyKeyChange, applyUpstreamChange, type UpstreamHealthStatus } from './remote-change';
import type { AttemptRecord, HealthTracker, Unavailability } from './tracker';
import {
  applyUpstreamVerdict,
  noteDispatch,
  releaseTrial,
  UpstreamState,
  upstreamAvailable,
} from './upstream-state';

/**
 * Key and upstream health for the whole gateway, keyed by upstream name and key fingerprint,
 * so it survives config reloads for members that still exist. In memory: the hot path reads
 * it without I/O. Every state change is logged once, with its reason, and published to the
 * other instances through the HealthSync; theirs are applied here as they arrive.
 */
export class HealthRegistry implements HealthTracker {
  private readonly keys = new Map<string, Map<string, KeyState>>();
  private readonly upstreams = new Map<string, UpstreamState>();

  constructor(
    private readonly logger: Logger,
    private readonly sync?: HealthSync,
  ) {
    sync?.subscribe((change) => this.applyRemote(change));
  }

  upstreamUsable(upstream: Upstream, now: number): boolean {
    const state = this.upstreams.get(upstream.name);
    return state === undefined || upstreamAvailable(state, now);
  }

  keyUsable(upstream: Upstream, key: UpstreamKey, now: number): boolean {
    const state = this.keys.get(upstream.name)?.get(key.id);
    if (state === undefined || state.status === 'active') return true;
    if (!keyAvailable(state, now)) return false;
    this.logKey(upstream, key, activate(state, 'cooldown over', now));
    return true;
  }

  onDispatch(upstream: Upstream, now: number): void {
    const state = this.upstreams.get(upstream.name);
    if (state) this.logUpstream(upstream, noteDispatch(state, now));
  }

  /** Applies an attempt's verdict; a request refused before it was sent is no evidence at all. */
  record(upstream: Upstream, key: UpstreamKey | undefined, attempt: AttemptRecord, now: number): void {
    if (attempt.verdict === 'not_sent') {
      const state = this.upstreams.get(upstream.name);
      if (state) releaseTrial(state);
      return;
    }
    if (key)
      this.logKey(
        upstream,
        key,
        applyKeyVerdict(this.keyState(upstream, key), attempt, upstream.health, now),
      );
    if (attempt.verdict === 'success' && !this.upstreams.has(upstream.name)) return;
    this.logUpstream(
      upstream,
      applyUpstreamVerdict(this.upstreamState(upstream.name), attempt, upstream.health, now),
    );
  }

  setProbeState(upstream: Upstream, healthy: boolean, reason: string, now: number): void {
    const state = this.upstreamState(upstream.name);
    if (state.probeDown === !healthy) return;
    state.probeDown = !healthy;
    state.probeReason = reason;
    state.changedAt = now;
    const [from, to] = healthy ? ['probe-down', 'probe-up'] : ['probe-up', 'probe-down'];
    this.logUpstream(upstream, { from, to, reason });
  }

  explainUnavailable(members: readonly Upstream[], now: number): Unavailability {
    let earliest = Number.POSITIVE_INFINITY;
    let onlyRateLimits = members.length > 0;
    let onlyRejected = members.length > 0;
    const parts: string[] = [];
    for (const upstream of members) {
      const explained = this.explainUpstream(upstream, now);
      parts.push(`${upstream.name}: ${explained.detail}`);
      if (explained.readyAt !== undefined) earliest = Math.min(earliest, explained.readyAt);
      if (!explained.rateLimitedOnly) onlyRateLimits = false;
      if (!explained.keysRejected) onlyRejected = false;
    }
    const retryAfterMs = Number.isFinite(earliest) ? Math.max(0, earliest - now) : undefined;
    const kind = onlyRateLimits ? 'rate_limited' : onlyRejected ? 'keys_rejected' : 'unavailable';
    return { kind, retryAfterMs, detail: parts.join('; ') };
  }

  private explainUpstream(
    upstream: Upstream,
    now: number,
  ): { detail: string; readyAt?: number; rateLimitedOnly: boolean; keysRejected?: boolean } {
    const state = this.upstreams.get(upstream.name);
    if (state?.probeDown)
      return { detail: `down by health check (${state.probeReason})`, rateLimitedOnly: false };
    if (state && !upstreamAvailable(state, now)) {
      return { detail: `ejected (${state.reason})`, readyAt: state.ejectedUntil, rateLimitedOnly: false };
    }
    const keys = this.keys.get(upstream.name);
    let readyAt = Number.POSITIVE_INFINITY;
    let cooling = 0;
    let disabled = 0;
    let rateLimited = 0;
    for (const key of upstream.keys.keys) {
      const keyState = keys?.get(key.id);
      if (!keyState || keyAvailable(keyState, now)) continue;
      if (keyState.status === 'disabled') disabled++;
      else {
        cooling++;
        if (keyState.lastVerdict === 'rate_limited') rateLimited++;
        readyAt = Math.min(readyAt, keyState.until);
      }
    }
    const detail = `${upstream.keys.size} keys: ${cooling} cooling, ${disabled} disabled`;
    const found = Number.isFinite(readyAt) ? readyAt : undefined;
    return {
      detail,
      readyAt: found,
      rateLimitedOnly:
        rateLimited > 0 && disabled + cooling === upstream.keys.size && rateLimited === cooling,
      keysRejected: disabled > 0 && disabled === upstream.keys.size,
    };
  }

  /** The state of one key, created on first use. */
  keyState(upstream: Upstream, key: UpstreamKey): KeyState {
    return this.keyStateById(upstream.name, key.id);
  }

  private keyStateById(upstream: string, keyId: string): KeyState {
    let byKey = this.keys.get(upstream);
    if (!byKey) {
      byKey = new Map();
      this.keys.set(upstream, byKey);
    }
    let state = byKey.get(keyId);
    if (!state) {
      state = new KeyState();
      byKey.set(keyId, state);
    }
    return state;
  }

  peekKey(upstream: string, keyId: string): KeyState | undefined {
    return this.keys.get(upstream)?.get(keyId);
  }

  peekUpstream(upstream: string): UpstreamState | undefined {
    return this.upstreams.get(upstream);
  }

  upstreamState(name: string): UpstreamState {
    let state = this.upstreams.get(name);
    if (!state) {
      state = new UpstreamState();
      this.upstreams.set(name, state);
    }
    return state;
  }

  /** Operator action: forget everything about a key (it becomes active). */
  resetKey(upstream: Upstream, key: UpstreamKey): void {
    const state = this.peekKey(upstream.name, key.id);
    if (!state) return;
    this.keys.get(upstream.name)!.delete(key.id);
    if (state.status !== 'active')
      this.logKey(upstream, key, { from: state.status, to: 'active', reason: 'reset by the operator' });
  }

  /**
   * Operator action: forget an upstream's state and all its keys' states. An active health
   * check's verdict is kept: the checker owns it and brings the upstream back when probes pass.
   */
  resetUpstream(upstream: Upstream): void {
    const probed = this.upstreams.get(upstream.name);
    this.upstreams.delete(upstream.name);
    this.keys.delete(upstream.name);
    if (probed?.probeDown) {
      const fresh = this.upstreamState(upstream.name);
      fresh.probeDown = true;
      fresh.probeReason = probed.probeReason;
    }
    this.logger.info({ upstream: upstream.name }, 'upstream health reset by the operator');
  }

  /** Records a validation result for a disabled key: success re-activates it. */
  validated(
    upstream: Upstream,
    key: UpstreamKey,
    ok: boolean,
    detail: string,
    policy: HealthPolicy,
    now: number,
  ): void {
    const state = this.keyState(upstream, key);
    if (ok) {
      if (state.status !== 'active')
        this.logKey(upstream, key, activate(state, `re-validated (${detail})`, now));
      return;
    }
    if (state.status === 'disabled') {
      state.until = now + policy.validation.interval;
      state.lastError = detail;
    }
  }

  logKey(upstream: Upstream, key: UpstreamKey, transition: Transition | undefined): void {
    if (!transition || transition.from === transition.to) return;
    this.logger.warn(
      {
        upstream: upstream.name,
        key: key.masked,
        from: transition.from,
        to: transition.to,
        reason: transition.reason,
        until: isoOrUndefined(transition.until),
      },
      'key state changed',
    );
    const status = transition.to as KeyStatus;
    const { reason } = transition;
    this.publish({
      kind: 'key',
      upstream: upstream.name,
      keyId: key.id,
      status,
      until: transition.until ?? 0,
      reason,
    });
  }

  private logUpstream(upstream: Upstream, transition: Transition | undefined): void {
    if (!transition || transition.from === transition.to) return;
    this.logger.warn(
      {
        upstream: upstream.name,
        from: transition.from,
        to: transition.to,
        reason: transition.reason,
        until: isoOrUndefined(transition.until),
      },
      'upstream state changed',
    );
    if (transition.to === 'half-open') return;
    const status = transition.to as UpstreamHealthStatus;
    const { reason } = transition;
    this.publish({ kind: 'upstream', upstream: upstream.name, status, until: transition.until ?? 0, reason });
  }

  private publish(change: HealthChange): void {
    this.sync?.publish(change).catch((err: unknown) => {
      this.logger.warn({ err }, 'health sync: a state change could not be published');
    });
  }

  /** Another instance's change: applied as it is, logged at debug, and not published again. */
  private applyRemote(change: HealthChange): void {
    this.logger.debug({ health_sync: change }, 'health state changed by another instance');
    if (change.kind === 'key') applyKeyChange(this.keyStateById(change.upstream, change.keyId), change);
    else applyUpstreamChange(this.upstreamState(change.upstream), change);
  }
}

function isoOrUndefined(time: number | undefined): string | undefined {
  return time === undefined ? undefined : new Date(time).toISOString();
}
