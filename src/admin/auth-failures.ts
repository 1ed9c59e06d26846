/** Addresses tracked at most; beyond it, finished windows are swept before adding one. */
const MAX_TRACKED = 10_000;

interface Window {
  readonly start: number;
  failures: number;
}

/**
 * Failed admin key attempts per client address in fixed one-minute windows: once an address has
 * failed `limit` times in its window, every admin request from it is refused until the window
 * ends, so the key cannot be guessed at line speed. `limit` 0 turns the check off.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, Window>();
  limit = 10;

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds until `ip` may try again; 0 when it may now. */
  blockedFor(ip: string): number {
    const window = this.windows.get(ip);
    if (!window || this.limit === 0) return 0;
    const left = window.start + this.windowMs - this.now();
    if (left <= 0) {
      this.windows.delete(ip);
      return 0;
    }
    return window.failures >= this.limit ? left : 0;
  }

  failed(ip: string): void {
    if (this.limit === 0) return;
    const now = this.now();
    const window = this.windows.get(ip);
    if (window && now - window.start < this.windowMs) {
      window.failures++;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.sweep(now);
    this.windows.set(ip, { start: now, failures: 1 });
  }

  private sweep(now: number): void {
    for (const [ip, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(ip);
    if (this.windows.size >= MAX_TRACKED) this.windows.clear();
  }
}
