import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from '../../../config/schema/index';

/** `server.workers` as a count: `auto` is one per core. */
export function workerCount(config: Config): number {
  const { workers } = config.server;
  return workers === 'auto' ? availableParallelism() : workers;
}

/** Whether this process is part of a cluster: a worker, or a primary that is to fork workers. */
export function isClustered(config: Config): boolean {
  return cluster.isWorker || workerCount(config) > 1;
}
