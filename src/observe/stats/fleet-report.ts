import type { StatsStore } from '../../state/stats-store';
import { DIMENSIONS, type SeriesStats, type StatsQuery, WINDOWS } from './collector';
import { type FleetSeries, histogramPercentiles, sumFleetSeries } from './fleet';

/**
 * `GET /admin/stats?scope=fleet`: the same report as an instance's, summed over every instance
 * that adds to the store (counts exact up to the last second's flush; percentiles within 2 %).
 */
export async function fleetSnapshot(
  store: StatsStore,
  query: StatsQuery,
  now: number,
  instances: number,
): Promise<Record<string, unknown>> {
  const { slotMs, slots } = WINDOWS[query.window];
  const current = Math.floor(now / slotMs) * slotMs;
  const starts = Array.from({ length: slots }, (_, i) => current - (slots - 1 - i) * slotMs);
  const sums = sumFleetSeries(await store.read(starts.map((start) => `${query.window}:${start}`)));
  const report: Record<string, unknown> = {
    window: query.window,
    scope: 'fleet',
    instances,
    from: new Date(starts[0]!).toISOString(),
    to: new Date(now).toISOString(),
    resolution_seconds: slotMs / 1000,
  };
  for (const dimension of query.dimensions) {
    const index = DIMENSIONS.indexOf(dimension);
    const series = [...sums.values()]
      .filter((s) => s.dimension === index)
      .map(toSeriesStats)
      .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
    if (dimension === 'total') report.total = series[0] ?? toSeriesStats(emptyFleetSeries());
    else report[`${dimension}s`] = series.slice(0, query.limit);
  }
  return report;
}

function toSeriesStats(series: FleetSeries): SeriesStats {
  return {
    name: series.name,
    ...series.label,
    requests: series.requests,
    outcomes: series.outcomes,
    latency_ms: histogramPercentiles(series.latency),
    ttfb_ms: histogramPercentiles(series.ttfb),
    tokens: { input: series.input, output: series.output, total: series.input + series.output },
    cache_hits: series.cacheHits,
  };
}

function emptyFleetSeries(): FleetSeries {
  return {
    dimension: 0,
    name: '*',
    label: null,
    requests: 0,
    outcomes: {},
    input: 0,
    output: 0,
    cacheHits: 0,
    latency: new Map(),
    ttfb: new Map(),
  };
}
