/** The whole report: one markdown section per scenario, and the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FixedRateResult, fixedRateTable } from '../scenarios/fixed-rate';
import { type ScaleResult, scaleTable } from '../scenarios/scale';
import { type StreamsResult, streamsTable } from '../scenarios/streams';
import { type ThroughputResult, throughputTable } from '../scenarios/throughput';
import type { Meta } from './meta';

export interface BenchResults {
  readonly meta: Meta;
  throughput?: ThroughputResult;
  fixedRate?: FixedRateResult;
  realistic?: FixedRateResult;
  streams?: StreamsResult;
  scale?: ScaleResult;
  readonly failures: Record<string, string>;
  wallSeconds?: number;
}

export function renderMarkdown(results: BenchResults, intervalMs: number): string {
  const m = results.meta;
  const parts = [
    `## Switchyard benchmark — ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit \`${m.commit}\`${m.dirty ? ' (uncommitted changes)' : ''}${m.quick ? ', --quick' : ''}`,
    `${m.cpu}, ${m.cores} cores; Node ${m.node}, nginx ${m.nginx}, wrk ${m.wrk}, @portkey-ai/gateway ${m.portkey}. Wall time ${results.wallSeconds?.toFixed(0) ?? '?'} s.`,
  ];
  if (results.throughput) {
    parts.push(
      '### Throughput (64 connections, non-streaming, closed loop, wrk)',
      throughputTable(results.throughput),
    );
  }
  if (results.fixedRate) {
    parts.push(
      '### Added latency at a fixed rate (open loop; + = minus direct)',
      fixedRateTable(results.fixedRate),
    );
  }
  if (results.realistic) {
    parts.push('### Realistic mock: 60 ms to first byte (open loop)', fixedRateTable(results.realistic));
  }
  if (results.streams) {
    parts.push(
      `### Concurrent SSE streams (50 events, ${intervalMs} ms apart)`,
      streamsTable(results.streams),
    );
  }
  if (results.scale) {
    const note = results.scale.routesWithMatch
      ? 'routes carry `match`; only the last one matches'
      : 'routes have no `match` yet (issue 4): the first route takes every request';
    parts.push(`### Configuration scale (Switchyard; ${note})`, scaleTable(results.scale));
  }
  for (const [scenario, error] of Object.entries(results.failures)) {
    parts.push(`**${scenario} failed:** ${error}`);
  }
  return `${parts.join('\n\n')}\n`;
}

/**
 * Writes `bench/results/<date>-<commit>.json`, and `latest.md` (`latest-quick.md`) when the run was
 * complete (every scenario); returns the JSON path.
 */
export function writeResults(
  dir: string,
  results: BenchResults,
  markdown: string,
  complete: boolean,
): string {
  mkdirSync(dir, { recursive: true });
  const stamp = results.meta.date.replace(/[:.]/g, '-').slice(0, 19);
  const file = join(dir, `${stamp}-${results.meta.commit}${results.meta.quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  if (complete) writeFileSync(join(dir, results.meta.quick ? 'latest-quick.md' : 'latest.md'), markdown);
  return file;
}
