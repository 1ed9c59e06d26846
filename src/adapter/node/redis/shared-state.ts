import type { StateConfig } from '../../../config/schema/state';
import type { Logger } from '../../../observe/logger';
import type { ConcurrencyStore } from '../../../state/concurrency-store';
import type { CursorStore } from '../../../state/cursor-store';
import type { HealthSync } from '../../../state/health-sync';
import type { JobLock } from '../../../state/job-lock';
import type { LimiterStore, LocalLimiter } from '../../../state/limiter-store';
import { MemoryLimiter } from '../../../state/memory-limiter';
import type { QuotaCounterStore } from '../../../state/quota-counter-store';
import { ShareLimiter } from '../../../state/share-limiter';
import type { StatsStore } from '../../../state/stats-store';
import { RedisConcurrencyStore } from './concurrency-store';
import { RedisLink } from './connection';
import { RedisCursorStore } from './cursor-store';
import { FailClosedQuotaCounters } from './fail-closed-quotas';
import {
  FallbackConcurrencyStore,
  FallbackCursorStore,
  FallbackLimiterStore,
  type FaultPolicy,
} from './fallback';
import type { FleetStatsTarget } from './fleet-stats';
import { RedisHealthSync } from './health-sync';
import { RedisJobLock } from './job-lock';
import { RedisLimiterStore } from './limiter-store';
import { FleetPresence } from './presence';
import { RedisQuotaCounterStore } from './quota-counter-store';
import { RedisStatsStore } from './stats-store';

/** What `/health` and the metrics say about the shared state. */
export interface SharedStateStatus {
  readonly backend: 'redis';
  readonly up: boolean;
  /** True while limits run on local shares, quotas fail closed and health is local. */
  readonly degraded: boolean;
  /** Since when (ms since the epoch) the state is as it is. */
  readonly since: number;
  readonly instances: number;
}

/**
 * Live state shared through Redis (`state.url`): the stores the gateway uses in place of the
 * memory ones, each with the fault policy of docs/scale-out.md, and the link's status. Never
 * waits for Redis: the gateway starts and serves while it is unreachable.
 */
export class SharedState implements FaultPolicy {
  readonly link: RedisLink;
  readonly limiter: LimiterStore;
  readonly concurrency: ConcurrencyStore;
  readonly quotaCounters: QuotaCounterStore;
  readonly healthSync: HealthSync;
  readonly cursors: CursorStore;
  readonly jobs: JobLock;
  readonly stats: StatsStore;
  /** Per-IP and per-key limits: this instance's share of each, in memory (docs/scale-out.md). */
  readonly localLimiter: LocalLimiter;
  private readonly presence: FleetPresence;
  private since = Date.now();
  private warned = false;

  constructor(
    config: StateConfig & { url: string },
    private readonly logger: Logger,
    /** The clock of health states (kept states expire on it). */
    now: () => number = Date.now,
  ) {
    this.link = new RedisLink(config.url, config.prefix, config.timeout);
    this.presence = new FleetPresence(this.link);
    this.limiter = new FallbackLimiterStore(new RedisLimiterStore(this.link), this);
    this.concurrency = new FallbackConcurrencyStore(new RedisConcurrencyStore(this.link), this);
    this.quotaCounters = new FailClosedQuotaCounters(new RedisQuotaCounterStore(this.link), this);
    this.healthSync = new RedisHealthSync(this.link, now);
    this.cursors = new FallbackCursorStore(new RedisCursorStore(this.link), this);
    this.jobs = new RedisJobLock(this.link, this);
    this.stats = new RedisStatsStore(this.link);
    this.localLimiter = new ShareLimiter(new MemoryLimiter(), () => this.presence.size);
    this.link.onChange((up) => this.changed(up));
    this.link.client.on('error', (err: Error) => this.fault(err));
    this.presence.start();
  }

  get up(): boolean {
    return this.link.up;
  }

  /** Where this instance's statistics are summed with the fleet's: Redis, with this fault policy. */
  get fleetStats(): FleetStatsTarget {
    return this;
  }

  get fleetSize(): number {
    return this.presence.size;
  }

  status(): SharedStateStatus {
    const up = this.link.up;
    return { backend: 'redis', up, degraded: !up, since: this.since, instances: this.presence.size };
  }

  /** Logs the first fault of an outage (a failed call or a dropped connection), once. */
  fault(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(
      { err },
      'shared state (state.url) unreachable: client limits fall back to this instance’s share, quotas and budgets fail closed, health is local; reconnecting',
    );
  }

  private changed(up: boolean): void {
    this.since = Date.now();
    if (up) {
      if (this.warned)
        this.logger.info('shared state (state.url) reachable again: limits, quotas and health are shared');
      this.warned = false;
      void this.presence.beat();
    } else {
      this.fault(new Error('connection to Redis lost'));
    }
  }

  async close(): Promise<void> {
    await this.presence.stop();
    await this.healthSync.close();
    await this.link.close();
  }
}
