import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner-only modes for the database, its WAL and shared-memory files, and its folder. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const SIDE_FILES = ['-wal', '-shm', '-journal'];

/**
 * Makes the database file owner-only before SQLite opens it: the folder, when the gateway
 * creates it, gets 0700; the file is created (or changed to) 0600, and an existing `-wal`,
 * `-shm` or `-journal` beside it too. SQLite creates those side files with the mode of the
 * database file, so they stay 0600. Explicit chmod calls keep the result independent of the umask.
 * A folder that already exists keeps its mode (it may be shared, like the working directory).
 */
export function preparePrivateDatabase(path: string): void {
  const dir = dirname(path);
  const created = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created !== undefined) chmodSync(dir, PRIVATE_DIR_MODE);
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
  for (const suffix of SIDE_FILES) {
    if (existsSync(path + suffix)) chmodSync(path + suffix, PRIVATE_FILE_MODE);
  }
}
