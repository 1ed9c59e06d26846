import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { LoopDelay } from '../../observe/metrics';

/** How often the event loop is sampled (a timer this far apart; its lateness is the delay). */
const RESOLUTION_MS = 10;
const NS_PER_S = 1e9;
/** The histogram records the time between two runs of the timer, the interval included. */
const INTERVAL_NS = RESOLUTION_MS * 1e6;

const lateness = (ns: number): number => Math.max(0, ns - INTERVAL_NS) / NS_PER_S;

/**
 * The event loop's delay (perf_hooks.monitorEventLoopDelay): how late a timer fires because
 * the loop was busy. `read` returns p50, p99 and max since the previous read, in seconds, and
 * starts a new window: each scrape of /metrics covers the time since the one before.
 */
export class LoopDelayMonitor {
  constructor(
    /** Node's sampler (a fake one in unit tests). */
    private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS }),
  ) {
    this.histogram.enable();
  }

  readonly read = (): LoopDelay => {
    const h = this.histogram;
    const empty = h.count === 0;
    const delay = {
      p50: empty ? 0 : lateness(h.percentile(50)),
      p99: empty ? 0 : lateness(h.percentile(99)),
      max: empty ? 0 : lateness(h.max),
    };
    h.reset();
    return delay;
  };

  stop(): void {
    this.histogram.disable();
  }
}
