import parsePrometheusTextFormat, {
  type ParsedFamily,
  type ParsedSample,
} from 'parse-prometheus-text-format';

export interface ParsedMetrics {
  /** Every family by name, with its declared type. */
  readonly families: Map<string, ParsedFamily>;
  /** A series' sample: for histograms, ask for `name_bucket` (with `le`), `name_count` or `name_sum`. */
  sample(name: string, labels: Record<string, string>): string | undefined;
}

/**
 * Parses Prometheus text with parse-prometheus-text-format. That parser folds a histogram's
 * series into one and drops their labels, so histograms are parsed a second time declared as
 * untyped: each `_bucket`, `_sum` and `_count` series then keeps its labels.
 */
export function parseMetrics(text: string): ParsedMetrics {
  const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  const untyped = text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped');
  // Series of one histogram alternate (_bucket, _sum, _count per label set): gather them by name.
  const series = new Map<string, ParsedSample[]>();
  for (const family of parsePrometheusTextFormat(untyped)) {
    series.set(family.name, [...(series.get(family.name) ?? []), ...family.metrics]);
  }
  return {
    families,
    sample(name, labels) {
      const found = series
        .get(name)
        ?.find((m) => Object.entries(labels).every(([key, value]) => m.labels?.[key] === value));
      return found?.value;
    },
  };
}
