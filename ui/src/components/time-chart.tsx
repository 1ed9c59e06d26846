import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

interface TimeChartProps {
  readonly title: string;
  /** Slot starts, in seconds since the epoch. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly unit?: string;
}

/** Distinct in light and dark themes alike. */
const PALETTE = ['#3b82f6', '#f97316', '#10b981', '#ef4444', '#a855f7', '#eab308', '#06b6d4', '#ec4899'];
const HEIGHT = 180;

function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function options(props: TimeChartProps, width: number): uPlot.Options {
  const axis = { stroke: cssColor('--muted'), grid: { stroke: cssColor('--grid'), width: 1 } };
  const unit = props.unit ?? '';
  return {
    width,
    height: HEIGHT,
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    axes: [axis, { ...axis, size: 72, values: (_u, ticks) => ticks.map((t) => `${t}${unit}`) }],
    series: [
      {},
      ...props.series.map((s, i) => ({
        label: s.label,
        stroke: PALETTE[i % PALETTE.length],
        width: 2,
        value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${Math.round(v * 100) / 100}${unit}`),
      })),
    ],
  };
}

function data(props: TimeChartProps): uPlot.AlignedData {
  return [props.times as number[], ...props.series.map((s) => s.values as (number | null)[])];
}

/**
 * A time series chart (uPlot, canvas). Made once per set of series and fed new data in place,
 * so live updates do not flicker; follows the width of its box.
 */
export function TimeChart(props: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = props.series.map((s) => s.label).join('\u0000');
  useEffect(() => {
    const el = box.current!;
    const chart = new uPlot(options(props, el.clientWidth || 400), data(props), el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [shape, props.unit]);

  useEffect(() => {
    plot.current?.setData(data(props));
  });

  const label = `${props.title}: ${props.series.map((s) => s.label).join(', ')}`;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={label} />
    </figure>
  );
}
