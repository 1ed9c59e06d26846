import type { Logger } from '../../../observe/logger';
import { MemoryLimiter } from '../../../state/memory-limiter';
import { ShareLimiter } from '../../../state/share-limiter';
import { FailClosedQuotaCounters } from '../redis/fail-closed-quotas';
import { FallbackConcurrencyStore, FallbackCursorStore, FallbackLimiterStore } from '../redis/fallback';
import type { FleetStatsTarget } from '../redis/fleet-stats';
import type { LiveState } from '../start';
import type { PrimaryChannel } from './channel';
import { IpcCursorStore, IpcJobLock, IpcStatsStore } from './fleet-stores';
import { IpcConcurrencyStore, IpcHealthSync, IpcLimiterStore, IpcQuotaCounterStore } from './stores';

/**
 * A worker's live state, held by the primary, with the fault policy of shared state
 * (docs/scale-out.md): should the primary not answer (gone, or slower than `state.timeout`),
 * client limits fall back to this worker's share (the limit divided by the workers), quotas and
 * budgets fail closed, health is local, routes rotate locally and the worker runs its jobs
 * itself. Rotation cursors, jobs and statistics are the machine's, as with Redis. Warned once
 * per outage.
 */
export function primaryLiveState(
  channel: PrimaryChannel,
  workers: number,
  logger: Logger,
): Required<LiveState> {
  let warned = false;
  const policy: FleetStatsTarget = {
    stats: new IpcStatsStore(channel),
    get up() {
      return channel.up;
    },
    fleetSize: workers,
    fault(err) {
      if (warned) return;
      warned = true;
      logger.warn(
        { err },
        'cluster primary not answering: client limits fall back to this worker’s share, quotas and budgets fail closed, health is local',
      );
    },
  };
  const healthSync = new IpcHealthSync(channel);
  return {
    limiter: new FallbackLimiterStore(new IpcLimiterStore(channel), policy),
    concurrency: new FallbackConcurrencyStore(new IpcConcurrencyStore(channel), policy),
    quotaCounters: new FailClosedQuotaCounters(new IpcQuotaCounterStore(channel), policy),
    // Per-IP and per-key limits are checked inside key selection, synchronously: each worker
    // counts its share of them, as each instance does with Redis (docs/scale-out.md).
    localLimiter: new ShareLimiter(new MemoryLimiter(), () => workers),
    healthSync,
    cursors: new FallbackCursorStore(new IpcCursorStore(channel), policy),
    jobs: new IpcJobLock(channel, (err) => policy.fault(err)),
    fleetStats: policy,
    close: () => healthSync.close(),
  };
}
