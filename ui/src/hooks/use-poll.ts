import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  /** Loads again now (after an action). */
  readonly reload: () => void;
}

/**
 * Loads `load()` now, again when `deps` change and, with `everyMs`, on a timer while the page
 * is shown: live figures without a reload. A failed load keeps the last data and says why.
 */
export function usePoll<T>(load: () => Promise<T>, deps: readonly unknown[], everyMs = 0): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    const run = ++latest.current;
    load().then(
      (value) => {
        if (run !== latest.current) return;
        setData(value);
        setError(undefined);
      },
      (err: unknown) => {
        if (run === latest.current) setError(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }, [...deps, tick]);

  useEffect(() => {
    if (everyMs <= 0) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, [everyMs, reload]);

  return { data, error, reload };
}
