import type { Logger } from '../../../observe/logger';
import { MemoryLimiter } from '../../../state/memory-limiter';
import { ShareLimiter } from '../../../state/share-limiter';
import { FailClosedQuotaCounters } from '../redis/fail-closed-quotas';
import { FallbackConcurrencyStore, FallbackLimiterStore, type FaultPolicy } from '../redis/fallback';
import type { LiveState } from '../start';
import type { PrimaryChannel } from './channel';
import { IpcConcurrencyStore, IpcHealthSync, IpcLimiterStore, IpcQuotaCounterStore } from './stores';

/**
 * A worker's live state, held by the primary, with the fault policy of shared state
 * (docs/scale-out.md): should the primary not answer (gone, or slower than `state.timeout`),
 * client limits fall back to this worker's share (the limit divided by the workers), quotas and
 * budgets fail closed, and health is local. Warned once per outage.
 */
export function primaryLiveState(
  channel: PrimaryChannel,
  workers: number,
  logger: Logger,
): Required<LiveState> {
  let warned = false;
  const policy: FaultPolicy = {
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
    close: () => healthSync.close(),
  };
}
