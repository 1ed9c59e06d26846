import type { Clock } from './clock';
import type { UpstreamMonitors } from './monitors';

/**
 * A clock for runtimes whose timers do not outlive the event that set them (a Worker): timers are
 * real, but their callbacks run only while a `runDue` is in progress. Outside, a schedule only
 * records when it is next due, and the next run (a Cron Trigger) catches up with `runDue`.
 * A probe's own timeout, set during a run, still fires.
 */
export class DueClock implements Clock {
  private open = 0;

  constructor(readonly now: () => number = Date.now) {}

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = setTimeout(() => {
      if (this.open > 0) callback();
    }, ms);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  /** Runs `work` with timers live, and turns them off again when it settles. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.open++;
    try {
      return await work();
    } finally {
      this.open--;
    }
  }
}

export interface DueReport {
  readonly checks: number;
  readonly pings: number;
}

/** Runs the active health checks and keep-alive pings due now, and waits until they finished. */
export function runDue(monitors: UpstreamMonitors, clock: DueClock): Promise<DueReport> {
  return clock.during(async () => {
    const now = clock.now();
    const [checks, pings] = await Promise.all([monitors.checks.runDue(now), monitors.keepalive.runDue(now)]);
    return { checks, pings };
  });
}
