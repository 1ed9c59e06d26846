import { useState } from 'preact/hooks';
import { get, query } from '../api/client';
import type { StatsSnapshot, Timeline, UsageRow } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { StatTile } from '../components/stat-tile';
import { TimeChart } from '../components/time-chart';
import { count, errors, ms, percent, usd } from '../format';
import { usePoll } from '../hooks/use-poll';
import { Attention } from './attention';
import { overviewCharts } from './overview-figures';
import { SeriesTable } from './series-table';

type Window = 'hour' | 'day';
const SPAN_MS: Record<Window, number> = { hour: 3_600_000, day: 86_400_000 };
const REFRESH_MS = 5000;

async function load(window: Window) {
  const by = 'total,upstream,model';
  const from = Date.now() - SPAN_MS[window];
  const [snapshot, timeline, usage] = await Promise.all([
    get<StatsSnapshot>(`/admin/stats${query({ window, by, limit: 20 })}`),
    get<Timeline>(`/admin/stats/timeline${query({ window, by, limit: 10 })}`),
    get<{ data: UsageRow[] }>(`/admin/usage${query({ group_by: 'hour', from })}`),
  ]);
  const cost = usage.data.reduce((sum, row) => sum + (row.cost ?? 0), 0);
  return { snapshot, charts: overviewCharts(timeline), cost };
}

/** Live traffic over the last hour or day, and what needs attention now. */
export function OverviewPage() {
  const [window, setWindow] = useState<Window>('hour');
  const { data, error } = usePoll(() => load(window), [window], REFRESH_MS);
  const total = data?.snapshot.total;
  const picker = (
    <fieldset class="segmented">
      <legend class="visually-hidden">Window</legend>
      {(['hour', 'day'] as const).map((w) => (
        <button key={w} type="button" aria-pressed={window === w} onClick={() => setWindow(w)}>
          Last {w}
        </button>
      ))}
    </fieldset>
  );
  return (
    <section>
      <PageTitle actions={picker}>Overview</PageTitle>
      <ErrorNote error={error} />
      <div class="tiles">
        <StatTile label="Requests" value={count(total?.requests)} />
        <StatTile label="Error rate" value={total ? percent(errors(total.outcomes), total.requests) : '—'} />
        <StatTile label="Latency p50" value={ms(total?.latency_ms?.p50)} />
        <StatTile label="p95" value={ms(total?.latency_ms?.p95)} />
        <StatTile label="p99" value={ms(total?.latency_ms?.p99)} />
        <StatTile label="Tokens" value={count(total?.tokens.total)} />
        <StatTile label="Cost" value={usd(data?.cost)} hint="from the request log" />
      </div>
      <Attention />
      {data ? (
        <div class="charts">
          <TimeChart title="Request rate" times={data.charts.times} series={data.charts.rate} unit="/min" />
          <TimeChart title="Error rate" times={data.charts.times} series={data.charts.errorRate} unit="%" />
          <TimeChart title="Latency" times={data.charts.times} series={data.charts.latency} unit=" ms" />
          <TimeChart title="Tokens" times={data.charts.times} series={data.charts.tokens} />
          <TimeChart
            title="Requests per upstream"
            times={data.charts.times}
            series={data.charts.perUpstream}
            unit="/min"
          />
          <TimeChart
            title="Requests per model"
            times={data.charts.times}
            series={data.charts.perModel}
            unit="/min"
          />
        </div>
      ) : null}
      <SeriesTable caption="Per upstream (attempts)" series={data?.snapshot.upstreams ?? []} />
      <SeriesTable caption="Per model" series={data?.snapshot.models ?? []} />
    </section>
  );
}
