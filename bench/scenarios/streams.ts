/** Scenario 3: many concurrent SSE streams (50 events 20 ms apart) through each target. */
import { runSseClient } from '../load/children';
import type { SseResult } from '../load/sse-client';
import { IDLE_CLOSE_MS } from '../mock/server';
import { type Cell, fixed, markdownTable, percent, ratio } from '../report/table';
import { sleep } from '../targets/process';
import { CHAT_PATH, chatBody, type Target, takesPart } from '../targets/target';
import { type BenchContext, harnessCore, measureWindow } from './context';

export interface StreamPoint extends SseResult {
  readonly gatewayCpu: number;
  readonly peakRssMiB: number;
  readonly harnessCoreBusy: number;
  readonly harnessCpu: number;
  readonly foreignCpu: number;
  /** Set when the target ran with a different process layout for this count (nginx workers). */
  readonly note?: string;
}

/** stream count → target → result */
export type StreamsResult = Record<string, Record<string, StreamPoint>>;

/** Streams beyond which one nginx worker runs out of descriptors (4 per stream in the 2-hop setup). */
export function nginxNeedsWorkers(streams: number, openFiles: number): boolean {
  return streams * 4 + 100 > openFiles;
}

function failedEverything(result: StreamsResult, name: string): boolean {
  return Object.values(result).some((byTarget) => {
    const point = byTarget[name];
    return point !== undefined && point.completed === 0;
  });
}

async function measureStreams(ctx: BenchContext, target: Target, streams: number): Promise<StreamPoint> {
  const { rampMs, chunks, intervalMs, timeoutMs } = ctx.plan.streams;
  const window = measureWindow(ctx, target);
  const result = await runSseClient(harnessCore(ctx), {
    origin: target.origin,
    path: CHAT_PATH,
    headers: { ...target.headers },
    body: chatBody({ stream: true }),
    streams,
    rampMs,
    chunks,
    timeoutMs: timeoutMs + chunks * intervalMs,
  });
  const cost = window.end();
  return {
    ...result,
    gatewayCpu: cost.gatewayCpu,
    peakRssMiB: cost.peakRssMiB,
    harnessCoreBusy: cost.harnessCoreBusy,
    harnessCpu: cost.harnessCpu,
    foreignCpu: cost.foreignCpu,
  };
}

export async function runStreams(ctx: BenchContext, openFiles: number): Promise<StreamsResult> {
  const result: StreamsResult = {};
  for (const streams of ctx.plan.streams.counts) {
    const byTarget: Record<string, StreamPoint> = {};
    for (const base of ctx.targets.filter((t) => takesPart(t, 'streams'))) {
      if (failedEverything(result, base.name)) {
        ctx.log(`streams ${streams} ${base.name}: skipped, every stream failed at a smaller count`);
        continue;
      }
      let target = base;
      let note: string | undefined;
      if (base.name === 'nginx' && ctx.startWideNginx && nginxNeedsWorkers(streams, openFiles)) {
        target = await ctx.startWideNginx();
        note = 'nginx with 3 workers on the same core (descriptor limit)';
      }
      try {
        const point = { ...(await measureStreams(ctx, target, streams)), note };
        byTarget[base.name] = point;
        ctx.log(
          `streams ${streams} ${base.name}: ttfb p99 ${fixed(point.ttfb.p99 ?? Number.NaN)} ms, gap p99 ${fixed(point.gap.p99 ?? Number.NaN)} ms, errors ${point.errors}${point.firstError ? ` (${point.firstError})` : ''}, peak RSS ${fixed(point.peakRssMiB)} MiB`,
        );
      } finally {
        if (target !== base) await target.stop();
      }
      await sleep(IDLE_CLOSE_MS - 1000);
    }
    result[String(streams)] = byTarget;
  }
  return result;
}

function streamRow(
  name: string,
  count: string,
  p: StreamPoint,
  direct?: StreamPoint,
  nginx?: StreamPoint,
): Cell[] {
  const ok = p.completed > 0;
  const gateway = name !== 'direct';
  return [
    `${name} × ${count}`,
    p.peakOpen,
    ok ? p.ttfb.p50 : null,
    ok ? p.ttfb.p99 : null,
    ratio(p.ttfb.p99, direct?.ttfb.p99),
    ratio(p.ttfb.p99, nginx?.ttfb.p99),
    ok ? p.gap.p99 : null,
    ok && direct && gateway ? p.gap.p99 - direct.gap.p99 : null,
    ok ? p.gap.max : null,
    ok ? p.transit.p99 : null,
    p.errors,
    gateway ? p.peakRssMiB : null,
    gateway ? percent(p.gatewayCpu) : '–',
    p.mockGap.p99,
    percent(p.harnessCpu),
    percent(p.foreignCpu),
  ];
}

export function streamsTable(result: StreamsResult): string {
  const rows: Cell[][] = [];
  for (const [count, byTarget] of Object.entries(result)) {
    for (const [name, point] of Object.entries(byTarget)) {
      rows.push(streamRow(name, count, point, byTarget.direct, byTarget.nginx));
    }
  }
  return markdownTable(
    [
      'target × streams',
      'peak open',
      'TTFB p50 ms',
      'TTFB p99 ms',
      'TTFB p99 × direct',
      'TTFB p99 × nginx',
      'gap p99 ms',
      'gap p99 added ms',
      'gap max ms',
      'transit p99 ms',
      'errors',
      'peak RSS MiB',
      'gateway CPU',
      'mock gap p99 ms',
      'harness CPU',
      'other load',
    ],
    rows,
  );
}
