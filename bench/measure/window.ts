/** What one measured run cost: gateway CPU, core busy shares, gateway peak memory, foreign load. */
import {
  busySeconds,
  busyShare,
  type CoreTimes,
  coreTimes,
  cpuSeconds,
  peakRssMiB,
  resetPeakRss,
  selfAndReapedChildrenCpuSeconds,
  stealShare,
} from './proc';

export interface CostReading {
  /** The gateway's CPU time over the run, as a share of one core (1 = a full core). */
  readonly gatewayCpu: number;
  /** Busy share of the core the mock and load generator run on (whoever used it). */
  readonly harnessCoreBusy: number;
  /** CPU of the harness itself (mock, load generator, this process), as a share of one core. */
  readonly harnessCpu: number;
  /** Busy share of the gateway's core. */
  readonly gatewayCoreBusy: number;
  /** Share of the gateway core's time the hypervisor gave to other machines (stalls everything). */
  readonly gatewayCoreSteal: number;
  /** CPU used by processes that are not the benchmark's (other work on the machine), in cores. */
  readonly foreignCpu: number;
  readonly peakRssMiB: number;
}

export interface Cores {
  readonly gateway: number;
  readonly harness: number;
}

/** The benchmark's own CPU: the gateway, the harness's long-lived children, itself and exited clients. */
function ownCpu(gatewayPids: readonly number[], harnessPids: readonly number[]): number {
  return cpuSeconds([...gatewayPids, ...harnessPids]) + selfAndReapedChildrenCpuSeconds();
}

/**
 * Starts a measurement window over the gateway's processes (`pids`) and the harness's other
 * long-lived processes (`harnessPids`, the mock); `end()` reads the costs.
 */
export function openWindow(
  pids: () => readonly number[],
  cores: Cores,
  harnessPids: readonly number[] = [],
): { end(): CostReading } {
  const startPids = pids();
  resetPeakRss(startPids);
  const cpuBefore = cpuSeconds(startPids);
  const ownBefore = ownCpu(startPids, harnessPids);
  const coresBefore: CoreTimes[] = coreTimes();
  const startedAt = performance.now();
  return {
    end() {
      const seconds = (performance.now() - startedAt) / 1000;
      const current = pids();
      const coresAfter = coreTimes();
      const shares = busyShare(coresBefore, coresAfter);
      const own = ownCpu(current, harnessPids) - ownBefore;
      const gateway = current.length > 0 ? cpuSeconds(current) - cpuBefore : 0;
      return {
        harnessCpu: (own - gateway) / seconds,
        gatewayCpu: gateway / seconds,
        harnessCoreBusy: shares[cores.harness] ?? 0,
        gatewayCoreBusy: shares[cores.gateway] ?? 0,
        gatewayCoreSteal: stealShare(coresBefore, coresAfter)[cores.gateway] ?? 0,
        foreignCpu: Math.max(0, busySeconds(coresBefore, coresAfter) - own) / seconds,
        peakRssMiB: peakRssMiB(current),
      };
    },
  };
}
