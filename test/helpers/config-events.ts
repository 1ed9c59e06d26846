import type { ConfigManager } from '../../src/config/manager';

/** Resolves with the next configuration the manager applies. */
export function nextApplied(manager: ConfigManager): Promise<unknown[]> {
  return new Promise((resolve) => {
    const listener = (...args: unknown[]) => {
      manager.onApplied.splice(manager.onApplied.indexOf(listener), 1);
      resolve(args);
    };
    manager.onApplied.push(listener);
  });
}

/** Resolves with the next candidate the manager refuses. */
export function nextRejected(manager: ConfigManager): Promise<unknown[]> {
  return new Promise((resolve) => {
    const listener = (...args: unknown[]) => {
      manager.onRejected.splice(manager.onRejected.indexOf(listener), 1);
      resolve(args);
    };
    manager.onRejected.push(listener);
  });
}
