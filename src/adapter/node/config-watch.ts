import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../../observe/logger';

export const DEFAULT_DEBOUNCE_MS = 200;

/**
 * Watches files for changes (the config file and its `keys_file`s) and calls back once per burst
 * of events. It watches each file's folder, not the file: editors and `kubectl` replace a file
 * by renaming a new one over it, which a watch on the old inode would miss.
 */
export class FileWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private names = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onChange: (file: string) => void,
    private readonly logger: Logger,
    private readonly debounceMs = DEFAULT_DEBOUNCE_MS,
  ) {}

  /** Watches exactly these files from now on. */
  watch(files: readonly string[]): void {
    const names = new Map<string, Set<string>>();
    for (const file of files) {
      const dir = dirname(file);
      const set = names.get(dir) ?? new Set<string>();
      set.add(basename(file));
      names.set(dir, set);
    }
    this.names = names;
    for (const [dir, watcher] of this.watchers) {
      if (!names.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of names.keys()) if (!this.watchers.has(dir)) this.watchDir(dir);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private watchDir(dir: string): void {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, filename) => {
        const name = filename?.toString();
        if (name && this.names.get(dir)?.has(name)) this.schedule(`${dir}/${name}`);
      });
      watcher.on('error', (err) => this.logger.warn({ err, dir }, 'stopped watching a config folder'));
      this.watchers.set(dir, watcher);
    } catch (err) {
      this.logger.warn({ err, dir }, 'cannot watch a config folder; reload with SIGHUP instead');
    }
  }

  private schedule(file: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange(file);
    }, this.debounceMs);
    this.timer.unref();
  }
}
