import { MAX_SERIES_PER_SLOT, type StatsCollector, WINDOWS } from '../../../observe/stats/collector';
import { FleetStatsBuffer, flushFleetStats } from '../../../observe/stats/fleet';
import type { StatsStore } from '../../../state/stats-store';
import type { FaultPolicy } from './fallback';

/** How often an instance adds its figures to the fleet's: one pipeline of HINCRBY per second. */
const FLUSH_MS = 1_000;

/** Where an instance's statistics go: Redis (`state.url`) or the cluster primary (`server.workers`). */
export interface FleetStatsTarget extends FaultPolicy {
  readonly stats: StatsStore;
}

/**
 * Shares the instance's statistics with the fleet (`GET /admin/stats?scope=fleet`): buffered in
 * memory, added to the shared store once a second (kept for the next flush while it is
 * unreachable). Returns the stop, which flushes what is left.
 */
export function shareStats(stats: StatsCollector, state: FleetStatsTarget): () => Promise<void> {
  const buffer = new FleetStatsBuffer(WINDOWS, MAX_SERIES_PER_SLOT);
  const flush = () => (state.up ? flushFleetStats(buffer, state.stats, stats.now()) : Promise.resolve());
  stats.fleet = buffer;
  stats.fleetSource = { store: state.stats, instances: () => state.fleetSize, flush };
  const timer = setInterval(() => void flush().catch((err: unknown) => state.fault(err)), FLUSH_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await flush().catch(() => {});
  };
}
