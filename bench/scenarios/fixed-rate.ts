/**
 * Scenario 2 (and 5): latency at a fixed rate, open loop, minus direct's. With the realistic mock
 * (60 ms to first byte) this is the end-to-end time a user sees added.
 */
import { runOpenLoop } from '../load/children';
import type { OpenLoopResult } from '../load/open-loop';
import { type Cell, markdownTable, percent, ratio } from '../report/table';
import { CHAT_PATH, chatBody, type RequestCounts, type Target, takesPart } from '../targets/target';
import { type BenchContext, harnessCore, measureWindow } from './context';

/** Below this, nginx's added p99 is noise and a ratio to it means nothing. */
const MIN_RATIO_BASE_MS = 0.1;

export interface RatePoint extends OpenLoopResult {
  readonly rate: number;
  readonly gatewayCpu: number;
  readonly harnessCoreBusy: number;
  readonly harnessCpu: number;
  readonly foreignCpu: number;
  readonly gatewayCoreSteal: number;
  /** The gateway's own event-loop delay p99 over the run (warm-up included), where it exports it. */
  readonly loopDelayP99Ms?: number;
  /** The same over a few seconds without load just before: what the machine alone adds. */
  readonly idleLoopDelayP99Ms?: number;
  /** Sent (warm-up included) but not in the gateway's request log afterwards; undefined: not checked. */
  readonly missingFromLog?: number;
  /** The same for `switchyard_requests_total` and for the statistics. */
  readonly missingFromMetrics?: number;
  readonly missingFromStats?: number;
}

/** How long the gateway's event-loop delay is read without load before each run. */
const IDLE_WINDOW_MS = 2000;

/** The gateway's event-loop delay p99 over IDLE_WINDOW_MS without load; undefined if not exported. */
async function idleLoopDelay(target: Target): Promise<number | undefined> {
  if (!target.loopDelayP99) return undefined;
  await target.loopDelayP99();
  await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
  return target.loopDelayP99();
}

/** Accounting runs just after each answer, and cut-off requests end a little later: wait for them. */
const LOG_SETTLE_MS = 3000;

type Missing = Pick<RatePoint, 'missingFromLog' | 'missingFromMetrics' | 'missingFromStats'>;

/** How many of the `fired` requests sent since `before` each count still lacks (0 when exact). */
async function missingFromCounts(
  target: Target,
  before: RequestCounts | undefined,
  fired: number,
): Promise<Missing> {
  if (!target.requestCounts || !before) return {};
  const deadline = performance.now() + LOG_SETTLE_MS;
  const missing = (now: RequestCounts): Missing => ({
    missingFromLog: fired - (now.log - before.log),
    missingFromMetrics: fired - (now.metrics - before.metrics),
    missingFromStats: fired - (now.stats - before.stats),
  });
  let result = missing(await target.requestCounts());
  while (Object.values(result).some((n) => n > 0) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    result = missing(await target.requestCounts());
  }
  return result;
}

/** rate → target → result */
export type FixedRateResult = Record<string, Record<string, RatePoint>>;

async function measureRate(
  ctx: BenchContext,
  target: Target,
  rate: number,
  settings: { seconds: number; warmupSeconds: number; connections: number },
  slow: boolean,
): Promise<RatePoint> {
  const idleLoopDelayP99Ms = await idleLoopDelay(target); // also starts the window of the run
  const countsBefore = await target.requestCounts?.();
  const window = measureWindow(ctx, target);
  const result = await runOpenLoop(harnessCore(ctx), {
    origin: target.origin,
    path: CHAT_PATH,
    headers: { ...target.headers },
    body: chatBody({ slow }),
    rate,
    ...settings,
  });
  const cost = window.end();
  const loopDelayP99Ms = await target.loopDelayP99?.();
  return {
    loopDelayP99Ms,
    idleLoopDelayP99Ms,
    ...(await missingFromCounts(target, countsBefore, result.fired)),
    ...result,
    rate,
    gatewayCpu: cost.gatewayCpu,
    harnessCoreBusy: cost.harnessCoreBusy,
    harnessCpu: cost.harnessCpu,
    foreignCpu: cost.foreignCpu,
    gatewayCoreSteal: cost.gatewayCoreSteal,
  };
}

async function runRates(
  ctx: BenchContext,
  rates: readonly number[],
  slow: boolean,
): Promise<FixedRateResult> {
  const settings = slow ? ctx.plan.realistic : ctx.plan.fixedRate;
  const result: FixedRateResult = {};
  for (const rate of rates) {
    const byTarget: Record<string, RatePoint> = {};
    for (const target of ctx.targets.filter((t) => takesPart(t, slow ? 'realistic' : 'fixed-rate'))) {
      const point = await measureRate(ctx, target, rate, settings, slow);
      byTarget[target.name] = point;
      ctx.log(
        `${slow ? 'realistic' : 'fixed rate'} ${rate}/s ${target.name}: p50 ${point.latency.p50.toFixed(3)} ms, p99 ${point.latency.p99.toFixed(3)} ms, errors ${point.errors}${point.loopDelayP99Ms === undefined ? '' : `, loop delay p99 ${point.loopDelayP99Ms.toFixed(3)} ms (idle ${point.idleLoopDelayP99Ms?.toFixed(3)})`}${point.missingFromLog === undefined ? '' : `, counted: ${countsCell(point)}`}`,
      );
    }
    result[String(rate)] = byTarget;
  }
  return result;
}

export function runFixedRate(ctx: BenchContext): Promise<FixedRateResult> {
  return runRates(ctx, ctx.plan.fixedRate.rates, false);
}

export function runRealistic(ctx: BenchContext): Promise<FixedRateResult> {
  return runRates(ctx, [ctx.plan.realistic.rate], true);
}

function loopDelayCell(point: RatePoint): string {
  if (point.loopDelayP99Ms === undefined) return '–';
  return `${point.loopDelayP99Ms.toFixed(2)} (idle ${point.idleLoopDelayP99Ms?.toFixed(2)})`;
}

/** `exact` when the request log, the metrics and the statistics each counted every request sent. */
function countsCell(point: RatePoint): string {
  if (point.missingFromLog === undefined) return '–';
  const off = (
    [
      ['log', point.missingFromLog],
      ['metrics', point.missingFromMetrics],
      ['stats', point.missingFromStats],
    ] as const
  ).filter(([, n]) => n !== 0);
  return off.length === 0 ? 'exact' : off.map(([name, n]) => `${name} ${n} missing`).join(', ');
}

export function fixedRateTable(result: FixedRateResult): string {
  const rows: Cell[][] = [];
  for (const [rate, byTarget] of Object.entries(result)) {
    const direct = byTarget.direct?.latency;
    const nginx = byTarget.nginx?.latency;
    for (const [name, point] of Object.entries(byTarget)) {
      const l = point.latency;
      const added = (key: 'p50' | 'p99' | 'p999') =>
        direct && name !== 'direct' ? l[key] - direct[key] : null;
      const nginxAdded = nginx && direct ? nginx.p99 - direct.p99 : undefined;
      rows.push([
        `${name} @ ${rate}/s`,
        point.achievedRate,
        l.p50,
        l.p99,
        l.p999,
        added('p50'),
        added('p99'),
        added('p999'),
        ratio(l.p99, direct?.p99),
        name === 'direct' ||
        name === 'nginx' ||
        !(nginxAdded !== undefined && nginxAdded >= MIN_RATIO_BASE_MS)
          ? '–'
          : ratio(added('p99') ?? undefined, nginxAdded),
        point.errors,
        name === 'direct' ? '–' : percent(point.gatewayCpu),
        loopDelayCell(point),
        countsCell(point),
        point.scheduleLag.p99,
        percent(point.foreignCpu),
        percent(point.gatewayCoreSteal),
      ]);
    }
  }
  return markdownTable(
    [
      'target @ rate',
      'achieved req/s',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      '+p50 ms',
      '+p99 ms',
      '+p99.9 ms',
      'p99 × direct',
      '+p99 × nginx',
      'errors',
      'gateway CPU',
      'loop delay p99 ms (idle)',
      'log, metrics, stats',
      'client lag p99 ms',
      'other load',
      'steal',
    ],
    rows,
  );
}
