import type { Logger } from '../observe/logger';
import type { ConfigSnapshot } from '../routing/config-snapshot';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import { classifyResponse } from './classify';
import type { Clock } from './clock';
import { buildProbeRequest, type ProbeSender, runProbe } from './probe';
import type { HealthRegistry } from './registry';

export interface ValidationResult {
  readonly upstream: string;
  readonly key: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Brings disabled keys back: each disabled key whose time has come is probed with the
 * upstream's `health.validation` request and re-activated on success. Upstreams that forbid
 * probes (`validation.enabled: false`) get their keys back when `return_after` has passed.
 */
export class KeyValidator {
  private timer: unknown;
  private running: Promise<ValidationResult[]> | undefined;
  private tickMs = 15_000;

  constructor(
    private readonly registry: HealthRegistry,
    private readonly send: ProbeSender,
    private readonly clock: Clock,
    private readonly runtime: () => ConfigSnapshot,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** Looks for due keys every `tickMs`. */
  start(tickMs = 15_000): void {
    this.stop();
    this.tickMs = tickMs;
    this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      void this.runDue().finally(() => {
        if (this.timer !== undefined) this.schedule();
      });
    }, this.tickMs);
  }

  /** Validates every disabled key whose time has come (or all disabled keys with `force`). */
  runDue(force = false): Promise<ValidationResult[]> {
    this.running ??= this.validateAll(force).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async validateAll(force: boolean): Promise<ValidationResult[]> {
    const results: ValidationResult[] = [];
    for (const upstream of this.runtime().upstreams.values()) {
      for (const key of upstream.keys.keys) {
        const state = this.registry.peekKey(upstream.name, key.id);
        if (state?.status !== 'disabled' || (!force && this.now() < state.until)) continue;
        results.push(await this.validate(upstream, key));
      }
    }
    return results;
  }

  /** Probes one key now and applies the result. */
  async validate(upstream: Upstream, key: UpstreamKey): Promise<ValidationResult> {
    const policy = upstream.health;
    const { validation } = policy;
    if (!validation.enabled) {
      this.registry.validated(
        upstream,
        key,
        true,
        'returned after return_after (validation is off)',
        policy,
        this.now(),
      );
      return { upstream: upstream.name, key: key.masked, ok: true, detail: 'returned on timer' };
    }
    const request = buildProbeRequest(
      upstream,
      {
        method: validation.method,
        path: validation.path,
        headers: {},
        body: validation.body,
        use_key: true,
        timeout: validation.timeout,
      },
      key,
    );
    const outcome = await runProbe(this.send, this.clock, upstream, request, validation.timeout);
    const ok = validation.expect_status.includes(outcome.status);
    const verdict = outcome.status
      ? classifyResponse(outcome.status, outcome.snippet, upstream.provider).verdict
      : 'upstream_fault';
    const detail =
      outcome.error ?? `HTTP ${outcome.status} (${verdict}) from ${validation.method} ${validation.path}`;
    this.registry.validated(upstream, key, ok, detail, policy, this.now());
    if (!ok)
      this.logger.info(
        { upstream: upstream.name, key: key.masked, detail },
        'key validation failed; stays disabled',
      );
    return { upstream: upstream.name, key: key.masked, ok, detail };
  }
}
