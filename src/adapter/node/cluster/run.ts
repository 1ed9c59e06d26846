import cluster from 'node:cluster';
import type { Config } from '../../../config/schema/index';
import type { ConfigSource } from '../../../config/source';
import type { Logger } from '../../../observe/logger';
import { Redactor } from '../../../observe/redact';
import { createLogger } from '../logger';
import type { RunningGateway } from '../start';
import { workerCount } from './count';
import { ClusterPrimary } from './primary';
import { openPrimaryStore } from './primary-store';
import { SLOT_ENV } from './protocol';
import { startWorker } from './worker';

export interface ClusterStart {
  readonly config: Config;
  readonly source: ConfigSource;
  readonly configPath: string | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Logged by the primary once every worker listens. */
  readonly announce: (logger: Logger, url: string, admin: string | undefined, workers: number) => void;
  /** Run by the worker in slot 0 once it listens (the start warnings, said once per machine). */
  readonly firstWorkerStarted: (running: RunningGateway) => void;
}

/**
 * Starts this process's part of the cluster: the primary (forks the workers, holds their shared
 * state, writes the request log) or one worker (the gateway itself).
 */
export async function startClustered(start: ClusterStart): Promise<void> {
  const { config } = start;
  const workers = workerCount(config);
  if (cluster.isWorker) {
    // node:cluster ends a worker the moment its primary goes, cutting its in-flight requests;
    // the worker drains instead (PrimaryChannel's 'disconnect', docs/scale-out.md).
    for (const listener of process.listeners('disconnect')) process.off('disconnect', listener);
    const slot = Number(process.env[SLOT_ENV] ?? '0');
    const running = await startWorker({
      config,
      source: start.source,
      slot,
      workers,
      link: process as Parameters<typeof startWorker>[0]['link'],
      exit: (code) => process.exit(code),
    });
    if (slot === 0) start.firstWorkerStarted(running);
    return;
  }
  const redactor = new Redactor();
  const { log_level: level, log_format: format } = config.server;
  const logger = createLogger({ level, format, redactor });
  const store = openPrimaryStore(config, start.env, logger);
  new ClusterPrimary({
    config,
    workers,
    logger,
    store,
    exit: (code) => process.exit(code),
    announce: (url, admin) => start.announce(logger, url, admin, workers),
  }).start();
}
