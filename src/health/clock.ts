/**
 * Time as the schedulers see it, injectable so tests drive schedules with fake timers or a
 * manual clock. The system clock looks the timer functions up at each call, so vitest's fake
 * timers apply to it.
 */
export interface Clock {
  /** Wall-clock milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
