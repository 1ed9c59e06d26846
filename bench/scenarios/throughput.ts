/** Scenario 1: closed-loop throughput, 64 connections, non-streaming completions, median of rounds. */
import { requestsPerSecond, runWrk, totalErrors } from '../load/wrk';
import { median } from '../report/stats';
import { type Cell, markdownTable, percent, ratio } from '../report/table';
import { chatBody, type Target, takesPart } from '../targets/target';
import { type BenchContext, harnessCore, measureWindow } from './context';

export interface ThroughputRound {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly gatewayCpu: number;
  readonly peakRssMiB: number;
  readonly harnessCoreBusy: number;
  /** Mock + wrk + harness CPU, share of one core: near 100 % means the harness was the limit. */
  readonly harnessCpu: number;
  readonly gatewayCoreBusy: number;
  /** Other work on the machine during the run, in cores. */
  readonly foreignCpu: number;
}

/** Per target: every round and the medians. */
export type ThroughputResult = Record<string, { rounds: ThroughputRound[]; median: ThroughputRound }>;

/** One measured wrk run against a target, with a warm-up before it. */
export async function measureThroughput(
  ctx: BenchContext,
  target: Target,
  seconds: number,
  warmupSeconds: number,
): Promise<ThroughputRound> {
  const { connections } = ctx.plan.throughput;
  const core = harnessCore(ctx);
  const body = chatBody();
  await runWrk({ target, core, connections, seconds: warmupSeconds, body });
  const window = measureWindow(ctx, target);
  const result = await runWrk({ target, core, connections, seconds, body });
  const cost = window.end();
  return {
    rps: requestsPerSecond(result),
    p50Ms: result.latencyUs.p50 / 1000,
    p99Ms: result.latencyUs.p99 / 1000,
    errors: totalErrors(result),
    gatewayCpu: cost.gatewayCpu,
    peakRssMiB: cost.peakRssMiB,
    harnessCoreBusy: cost.harnessCoreBusy,
    harnessCpu: cost.harnessCpu,
    gatewayCoreBusy: cost.gatewayCoreBusy,
    foreignCpu: cost.foreignCpu,
  };
}

export function medianRound(rounds: readonly ThroughputRound[]): ThroughputRound {
  const pick = (key: keyof ThroughputRound) => median(rounds.map((round) => round[key]));
  return {
    rps: pick('rps'),
    p50Ms: pick('p50Ms'),
    p99Ms: pick('p99Ms'),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    gatewayCpu: pick('gatewayCpu'),
    peakRssMiB: Math.max(...rounds.map((round) => round.peakRssMiB)),
    harnessCoreBusy: pick('harnessCoreBusy'),
    harnessCpu: pick('harnessCpu'),
    gatewayCoreBusy: pick('gatewayCoreBusy'),
    foreignCpu: pick('foreignCpu'),
  };
}

/** Rounds are interleaved (every target once per round) so that slow spells hit all alike. */
export async function runThroughput(ctx: BenchContext): Promise<ThroughputResult> {
  const { rounds, seconds, warmupSeconds } = ctx.plan.throughput;
  const all: Record<string, ThroughputRound[]> = {};
  for (let round = 1; round <= rounds; round++) {
    for (const target of ctx.targets.filter((t) => takesPart(t, 'throughput'))) {
      const measured = await measureThroughput(ctx, target, seconds, warmupSeconds);
      ctx.log(
        `throughput round ${round} ${target.name}: ${Math.round(measured.rps)} req/s, p99 ${measured.p99Ms.toFixed(2)} ms, harness CPU ${percent(measured.harnessCpu)}, other load ${percent(measured.foreignCpu)}`,
      );
      all[target.name] = [...(all[target.name] ?? []), measured];
    }
  }
  const result: ThroughputResult = {};
  for (const [name, list] of Object.entries(all)) result[name] = { rounds: list, median: medianRound(list) };
  return result;
}

export function throughputTable(result: ThroughputResult): string {
  const direct = result.direct?.median.rps;
  const nginx = result.nginx?.median.rps;
  const rows: Cell[][] = Object.entries(result).map(([name, { median: m, rounds }]) => [
    name,
    m.rps,
    ratio(m.rps, direct),
    ratio(m.rps, nginx),
    m.p50Ms,
    m.p99Ms,
    m.errors,
    name === 'direct' ? '–' : percent(m.gatewayCpu),
    name === 'direct' ? null : (m.gatewayCpu / m.rps) * 1e6,
    name === 'direct' ? null : m.peakRssMiB,
    percent(m.harnessCpu),
    percent(m.harnessCoreBusy),
    percent(m.foreignCpu),
    rounds.map((round) => Math.round(round.rps)).join(' / '),
  ]);
  return markdownTable(
    [
      'target',
      'req/s (median)',
      '× direct',
      '× nginx',
      'p50 ms',
      'p99 ms',
      'errors',
      'gateway CPU',
      'CPU µs/req',
      'peak RSS MiB',
      'harness CPU',
      'harness core busy',
      'other load',
      'rounds req/s',
    ],
    rows,
  );
}
