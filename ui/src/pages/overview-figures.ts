import type { Series, Timeline, TimelineSlot } from '../api/types';
import type { ChartSeries } from '../components/time-chart';
import { errors } from '../format';

/** The chart lines of the overview, from the timeline's slots. */
export interface OverviewCharts {
  readonly times: number[];
  readonly rate: ChartSeries[];
  readonly errorRate: ChartSeries[];
  readonly latency: ChartSeries[];
  readonly tokens: ChartSeries[];
  readonly perUpstream: ChartSeries[];
  readonly perModel: ChartSeries[];
}

const MAX_LINES = 6;

export function overviewCharts(timeline: Timeline): OverviewCharts {
  const { slots } = timeline;
  const minutes = timeline.resolution_seconds / 60;
  const total = (slot: TimelineSlot) => slot.total;
  const line = (label: string, pick: (slot: TimelineSlot) => number | null) => ({
    label,
    values: slots.map(pick),
  });
  return {
    times: slots.map((slot) => Date.parse(slot.start) / 1000),
    rate: [line('requests / min', (s) => (total(s)?.requests ?? 0) / minutes)],
    errorRate: [
      line('errors %', (s) => {
        const t = total(s);
        return t && t.requests > 0 ? (100 * errors(t.outcomes)) / t.requests : null;
      }),
    ],
    latency: (['p50', 'p95', 'p99'] as const).map((p) => line(p, (s) => total(s)?.latency_ms?.[p] ?? null)),
    tokens: [
      line('input', (s) => total(s)?.tokens.input ?? 0),
      line('output', (s) => total(s)?.tokens.output ?? 0),
    ],
    perUpstream: perName(slots, (s) => s.upstreams, minutes),
    perModel: perName(slots, (s) => s.models, minutes),
  };
}

/** Requests per minute of the busiest names over the whole window, one line each. */
function perName(
  slots: readonly TimelineSlot[],
  pick: (slot: TimelineSlot) => readonly Series[] | undefined,
  minutes: number,
): ChartSeries[] {
  const totals = new Map<string, number>();
  for (const slot of slots) {
    for (const s of pick(slot) ?? []) totals.set(s.name, (totals.get(s.name) ?? 0) + s.requests);
  }
  const names = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_LINES)
    .map(([name]) => name);
  return names.map((name) => ({
    label: name,
    values: slots.map((slot) => (pick(slot)?.find((s) => s.name === name)?.requests ?? 0) / minutes),
  }));
}
