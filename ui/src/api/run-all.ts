/**
 * Runs `task` for every item, a few at a time, reporting progress; answers how many succeeded
 * and the failures with their messages.
 */
export async function runAll<T>(
  items: readonly T[],
  task: (item: T) => Promise<unknown>,
  onProgress: (done: number) => void = () => {},
  concurrency = 4,
): Promise<{ ok: number; failed: { item: T; message: string }[] }> {
  let next = 0;
  let done = 0;
  let ok = 0;
  const failed: { item: T; message: string }[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
        ok++;
      } catch (err) {
        failed.push({ item, message: err instanceof Error ? err.message : String(err) });
      }
      onProgress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { ok, failed };
}
