import type { IntervalHistogram } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { LoopDelayMonitor } from './loop-delay';

/** A histogram with set figures, in nanoseconds, that counts its resets. */
function fakeHistogram(figures: { count: number; p50: number; p99: number; max: number }) {
  const state = { ...figures, resets: 0, enabled: false };
  const histogram = {
    get count() {
      return state.count;
    },
    get max() {
      return state.max;
    },
    percentile: (p: number) => (p === 50 ? state.p50 : state.p99),
    reset: () => {
      state.resets++;
      state.count = 0;
    },
    enable: () => {
      state.enabled = true;
      return true;
    },
    disable: () => {
      state.enabled = false;
      return true;
    },
  } as unknown as IntervalHistogram;
  return { histogram, state };
}

describe('the event-loop delay monitor', () => {
  it('reports the delay beyond the 10 ms sampling interval, in seconds, and starts a new window', () => {
    const { histogram, state } = fakeHistogram({
      count: 12,
      p50: 10_500_000,
      p99: 25_000_000,
      max: 310_000_000,
    });
    const monitor = new LoopDelayMonitor(histogram);
    expect(state.enabled).toBe(true);
    expect(monitor.read()).toEqual({ p50: 0.0005, p99: 0.015, max: 0.3 });
    expect(state.resets).toBe(1);
    expect(monitor.read()).toEqual({ p50: 0, p99: 0, max: 0 }); // an empty window
    monitor.stop();
    expect(state.enabled).toBe(false);
  });

  it('never reports a negative delay (a timer on time records the interval itself)', () => {
    const { histogram } = fakeHistogram({ count: 3, p50: 9_900_000, p99: 10_000_000, max: 10_000_000 });
    expect(new LoopDelayMonitor(histogram).read()).toEqual({ p50: 0, p99: 0, max: 0 });
  });
});
