/**
 * Jobs that must run once per fleet, not once per instance (active health checks, keep-alive
 * pings): before each scheduled run an instance claims the job. The first claimant holds it for
 * `holdMs` and renews it with each run it makes; the others skip their runs while it does, and
 * one of them takes over once a holder stops renewing (it stopped or died). A job keeps one
 * runner while that runner lives, so per-job counts (consecutive failures of a health check)
 * stay with one instance.
 */
export interface JobLock {
  /** True: run the job now (this instance holds it, newly or again). False: another one does. */
  claim(job: string, holdMs: number): Promise<boolean>;
  /** Lets go of the jobs this instance holds (on stop), so another takes over at its next run. */
  releaseAll(): Promise<void>;
}

/**
 * How long a claim holds a job that runs every `periodMs`: two periods and a second, so the
 * holder renews it in time even when a run is late, and a dead holder's job moves on within
 * about two periods.
 */
export function holdFor(periodMs: number): number {
  return 2 * periodMs + 1_000;
}
