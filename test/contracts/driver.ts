import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One driver under a contract suite: the store, how to close it, and (for drivers that keep
 * their state somewhere) how to open a second store on the same state, as another process or a
 * restart would.
 */
export interface Driver<T> {
  readonly store: T;
  close(): Promise<void> | void;
  reopen?(): T | Promise<T>;
}

export type MakeDriver<T> = () => Promise<Driver<T>> | Driver<T>;

/** A fresh temporary directory for a SQLite file; removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `sy-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
