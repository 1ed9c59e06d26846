/** Readings from /proc: CPU time of processes, busy share of cores, peak resident memory. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU counters (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds consumed so far by the processes (0 for ones that are gone). */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process has exited
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds of this process and of its children that have exited (the load generators). */
export function selfAndReapedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (
    (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND
  );
}

export interface CoreTimes {
  readonly busy: number;
  readonly total: number;
  /** Time the hypervisor ran something else while this virtual core wanted to run. */
  readonly steal: number;
}

/** Busy and total ticks of each core, from /proc/stat. */
export function coreTimes(): CoreTimes[] {
  const cores: CoreTimes[] = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    if (!/^cpu\d+ /.test(line)) continue;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
    cores.push({ busy: total - idle, total, steal: values[7] ?? 0 });
  }
  return cores;
}

/** Share (0–1) of each core's time stolen by the hypervisor between two readings. */
export function stealShare(before: readonly CoreTimes[], after: readonly CoreTimes[]): number[] {
  return after.map((core, i) => {
    const total = core.total - (before[i]?.total ?? 0);
    return total > 0 ? (core.steal - (before[i]?.steal ?? 0)) / total : 0;
  });
}

/** Busy seconds of all cores together between two readings. */
export function busySeconds(before: readonly CoreTimes[], after: readonly CoreTimes[]): number {
  let ticks = 0;
  after.forEach((core, i) => {
    ticks += core.busy - (before[i]?.busy ?? 0);
  });
  return ticks / TICKS_PER_SECOND;
}

/** Share (0–1) of each core that was busy between two readings. */
export function busyShare(before: readonly CoreTimes[], after: readonly CoreTimes[]): number[] {
  return after.map((core, i) => {
    const total = core.total - (before[i]?.total ?? 0);
    return total > 0 ? (core.busy - (before[i]?.busy ?? 0)) / total : 0;
  });
}

/** Direct children of a process (nginx's workers). */
export function childPids(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (existsSync(file)) {
    return readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  }
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => {
      try {
        const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
}

/** Resets the peak-RSS counter (VmHWM) of the processes, so the next reading is this scenario's. */
export function resetPeakRss(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // not permitted or gone: the reading then covers the process's whole life
    }
  }
}

/** Sum of the processes' peak resident memory, in MiB. */
export function peakRssMiB(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

/** Hard limit on open files for processes started from here. */
export function openFilesLimit(): number {
  const match = /Max open files\s+\d+\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match ? Number(match[1]) : 1024;
}
