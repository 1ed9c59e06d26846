import type { RetryPolicy } from '../config/schema/index';

/**
 * One request's retry budget (docs/health.md): attempts, the overall deadline, jittered
 * exponential backoff and Retry-After waits, and the total deadline of a non-streamed answer.
 * Timers are its own; `stop` clears them when the exchange ends.
 */
export class RetryBudget {
  attempts = 0;
  private expired = false;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private waiting: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    /** performance.now() when the request arrived. */
    private readonly startedAt: number,
    private readonly random: () => number,
  ) {}

  /** Another attempt may start: attempts and deadline left, the client still there. */
  left(cancelled: boolean): boolean {
    return (
      this.attempts < this.policy.max_attempts &&
      !cancelled &&
      !this.expired &&
      (this.attempts === 0 || performance.now() - this.startedAt < this.policy.deadline)
    );
  }

  /** Waiting `delayMs` still ends before the deadline. */
  fits(delayMs: number): boolean {
    return performance.now() - this.startedAt + delayMs < this.policy.deadline;
  }

  /** A Retry-After wait the policy accepts: no longer than `max_retry_after`, within the deadline. */
  mayWaitFor(waitMs: number): boolean {
    return waitMs <= this.policy.max_retry_after && this.fits(waitMs);
  }

  /** Full jitter over an exponential step: random(0, min(max, base × 2^(n-1))). */
  backoff(): number {
    const step = Math.min(this.policy.max_backoff, this.policy.backoff * 2 ** (this.attempts - 1));
    return Math.floor(this.random() * step);
  }

  wait(ms: number, then: () => void): void {
    this.waiting = setTimeout(() => {
      this.waiting = undefined;
      then();
    }, ms);
  }

  /** The whole answer must arrive within `ms`; `onExpiry` aborts the attempt running then. */
  armDeadline(ms: number, onExpiry: (ms: number) => void): void {
    this.deadline = setTimeout(() => {
      this.expired = true;
      onExpiry(ms);
    }, ms);
    (this.deadline as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.deadline) clearTimeout(this.deadline);
    if (this.waiting) clearTimeout(this.waiting);
  }
}
