/**
 * Scenario 4: does cost grow with the configuration? Switchyard's throughput with a 10-key pool
 * and 10 routes, against a 100,000-key pool and against 1,000 routes (see ROUTES_WITH_MATCH).
 */
import { ROUTES_WITH_MATCH } from '../config/switchyard-config';
import { type Cell, markdownTable, percent, ratio } from '../report/table';
import { startSwitchyard } from '../targets/switchyard';
import type { Target } from '../targets/target';
import { type BenchContext, gatewayCore } from './context';
import { measureThroughput, medianRound, type ThroughputRound } from './throughput';

export interface ScaleCase {
  readonly name: string;
  readonly keys: number;
  readonly routes: number;
  readonly rounds: ThroughputRound[];
  readonly median: ThroughputRound;
}

export interface ScaleResult {
  readonly routesWithMatch: boolean;
  readonly cases: ScaleCase[];
}

export async function runScale(ctx: BenchContext): Promise<ScaleResult> {
  const { rounds, seconds, warmupSeconds, keys, routes } = ctx.plan.scale;
  const shapes = [
    { name: 'baseline', keys: 10, routes: 10 },
    { name: `${keys.toLocaleString('en-US')} keys`, keys, routes: 10 },
    { name: `${routes.toLocaleString('en-US')} routes`, keys: 10, routes },
  ];
  const targets: Target[] = [];
  try {
    for (const shape of shapes) {
      targets.push(
        await startSwitchyard({
          name: shape.name,
          core: gatewayCore(ctx),
          mockUrl: ctx.mock.url,
          workDir: ctx.workDir,
          keys: shape.keys,
          routes: shape.routes,
        }),
      );
    }
    const measured: ThroughputRound[][] = shapes.map(() => []);
    for (let round = 1; round <= rounds; round++) {
      for (const [i, target] of targets.entries()) {
        const point = await measureThroughput(ctx, target, seconds, warmupSeconds);
        measured[i]!.push(point);
        ctx.log(`scale round ${round} ${target.name}: ${Math.round(point.rps)} req/s`);
      }
    }
    return {
      routesWithMatch: ROUTES_WITH_MATCH,
      cases: shapes.map((shape, i) => ({
        ...shape,
        rounds: measured[i]!,
        median: medianRound(measured[i]!),
      })),
    };
  } finally {
    for (const target of targets) await target.stop();
  }
}

export function scaleTable(result: ScaleResult): string {
  const base = result.cases[0]?.median;
  const rows: Cell[][] = result.cases.map((c) => [
    c.name,
    c.keys,
    c.routes,
    c.median.rps,
    ratio(c.median.rps, base?.rps),
    c.median.p99Ms,
    (c.median.gatewayCpu / c.median.rps) * 1e6,
    c.median.errors,
    c.median.peakRssMiB,
    percent(c.median.harnessCpu),
    percent(c.median.foreignCpu),
    c.rounds.map((round) => Math.round(round.rps)).join(' / '),
  ]);
  return markdownTable(
    [
      'configuration',
      'keys',
      'routes',
      'req/s (median)',
      '× baseline',
      'p99 ms',
      'CPU µs/req',
      'errors',
      'peak RSS MiB',
      'harness CPU',
      'other load',
      'rounds req/s',
    ],
    rows,
  );
}
