/** What every scenario gets: the plan, the cores, the running mock and targets. */
import { type Cores, type CostReading, openWindow } from '../measure/window';
import type { RunningMock } from '../targets/mock';
import type { Target } from '../targets/target';

export interface Plan {
  readonly quick: boolean;
  readonly throughput: { rounds: number; seconds: number; warmupSeconds: number; connections: number };
  readonly fixedRate: { rates: number[]; seconds: number; warmupSeconds: number; connections: number };
  readonly realistic: { rate: number; seconds: number; warmupSeconds: number; connections: number };
  readonly streams: {
    counts: number[];
    rampMs: number;
    chunks: number;
    intervalMs: number;
    timeoutMs: number;
  };
  readonly scale: { rounds: number; seconds: number; warmupSeconds: number; keys: number; routes: number };
}

export function makePlan(quick: boolean, bigStreams: number): Plan {
  if (quick) {
    return {
      quick,
      throughput: { rounds: 1, seconds: 3, warmupSeconds: 1, connections: 64 },
      fixedRate: { rates: [500], seconds: 3, warmupSeconds: 1, connections: 64 },
      realistic: { rate: 500, seconds: 3, warmupSeconds: 1, connections: 128 },
      streams: { counts: [200, 1000], rampMs: 1000, chunks: 50, intervalMs: 20, timeoutMs: 30_000 },
      scale: { rounds: 1, seconds: 3, warmupSeconds: 1, keys: 100_000, routes: 1000 },
    };
  }
  return {
    quick,
    throughput: { rounds: 3, seconds: 10, warmupSeconds: 2, connections: 64 },
    fixedRate: { rates: [500, 2000], seconds: 10, warmupSeconds: 1, connections: 64 },
    realistic: { rate: 500, seconds: 10, warmupSeconds: 1, connections: 128 },
    streams: { counts: [1000, bigStreams], rampMs: 1000, chunks: 50, intervalMs: 20, timeoutMs: 60_000 },
    scale: { rounds: 3, seconds: 6, warmupSeconds: 1, keys: 100_000, routes: 1000 },
  };
}

export interface BenchContext {
  readonly plan: Plan;
  /** Null when the machine has a single core: nothing is pinned then. */
  readonly cores: Cores | null;
  readonly mock: RunningMock;
  readonly targets: readonly Target[];
  readonly workDir: string;
  /**
   * nginx with several workers on the same core, for stream counts whose 4 descriptors per stream
   * (client, inner hop both ends, upstream) exceed what one worker may open here.
   */
  startWideNginx?(): Promise<Target>;
  log(message: string): void;
}

/** A measurement window over the target's processes, knowing the harness's own. */
export function measureWindow(ctx: BenchContext, target: Target): { end(): CostReading } {
  return openWindow(() => target.pids(), ctx.cores ?? { gateway: 1, harness: 0 }, [ctx.mock.pid]);
}

export const harnessCore = (ctx: BenchContext): number | null => ctx.cores?.harness ?? null;
export const gatewayCore = (ctx: BenchContext): number | null => ctx.cores?.gateway ?? null;
