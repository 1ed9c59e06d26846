import { DDSketch } from '@datadog/sketches-js';

/** Relative accuracy of every quantile: p99 = 1000 ms means within 990–1010 ms. */
export const RELATIVE_ACCURACY = 0.01;
/** Samples held as they are before a digest switches to a sketch (sparse series stay small). */
const RAW_LIMIT = 48;

export function newSketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
}

/**
 * Durations of one series in one time slot. A DDSketch (mergeable, relative error) once it has
 * more than a few samples; until then the samples themselves, because most series (a key among
 * thousands) see a handful of requests per slot and a sketch costs kilobytes.
 */
export class LatencyDigest {
  private raw: number[] | undefined = [];
  private sketch: DDSketch | undefined;

  add(ms: number): void {
    const value = Math.max(ms, 0);
    if (this.sketch) {
      this.sketch.accept(value);
      return;
    }
    const raw = this.raw!;
    raw.push(value);
    if (raw.length > RAW_LIMIT) {
      const sketch = newSketch();
      for (const sample of raw) sketch.accept(sample);
      this.sketch = sketch;
      this.raw = undefined;
    }
  }

  mergeInto(target: DDSketch): void {
    if (this.sketch) target.merge(this.sketch);
    else for (const sample of this.raw!) target.accept(sample);
  }
}

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export function percentiles(sketch: DDSketch): Percentiles | null {
  if (sketch.count === 0) return null;
  return {
    p50: round(sketch.getValueAtQuantile(0.5)),
    p95: round(sketch.getValueAtQuantile(0.95)),
    p99: round(sketch.getValueAtQuantile(0.99)),
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
