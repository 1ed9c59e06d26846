import type { Config } from '../../../config/schema/index';
import type { ConfigSource } from '../../../config/source';
import type { Logger } from '../../../observe/logger';
import { Redactor } from '../../../observe/redact';
import { SqliteConfigRepository } from '../../../store/config-repository-sqlite';
import { createLogger } from '../logger';
import { type RunningGateway, startGateway } from '../start';
import { PrimaryChannel, type PrimaryLink } from './channel';
import { primaryLiveState } from './live-state';
import type { ChangeScope } from './protocol';
import { IpcRequestLogSink } from './request-log';

/** The header naming the worker that answered (its slot), on every response of a cluster worker. */
export const WORKER_HEADER = 'x-switchyard-worker';

export interface WorkerOptions {
  readonly config: Config;
  readonly source: ConfigSource;
  /** This worker's slot, 0…workers-1. */
  readonly slot: number;
  /** How many workers the primary runs. */
  readonly workers: number;
  readonly link: PrimaryLink;
  /** Ends the process (the CLI passes process.exit). */
  readonly exit: (code: number) => void;
}

/**
 * A cluster worker: the whole gateway on the listener the primary shares, with its live state
 * (when `state.url` is not set) and its request log batches (SQLite store) going to the primary.
 * It tells the primary when the admin API changed the configuration, applies the changes other
 * workers made, answers metric collection, and drains on the primary's order or a signal. When
 * the primary is gone it drains and exits: it gets no new connections, and nothing is exact.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningGateway> {
  const { config, slot, workers } = options;
  const channel = new PrimaryChannel(options.link, config.state.timeout);
  const redactor = new Redactor();
  const { log_level: level, log_format: format } = config.server;
  const logger = createLogger({ level, format, redactor }).child({ worker: slot });
  const ownLog = config.request_log.enabled && !config.store.url && config.store.path !== ':memory:';
  const running = await startGateway({
    config,
    logger,
    redactor,
    control: { source: options.source, signals: false },
    liveState: config.state.url ? undefined : primaryLiveState(channel, workers, logger),
    requestLogSink: ownLog ? (local) => new IpcRequestLogSink(channel, local) : undefined,
  });
  wireWorker(running, channel, slot, logger);
  stopOn(running, channel, logger, options.exit);
  channel.send({ sy: 'ready', url: running.url, admin: running.control.adminUrl });
  return running;
}

function wireWorker(running: RunningGateway, channel: PrimaryChannel, slot: number, logger: Logger): void {
  const { gateway, control, accounting, listener } = running;
  listener.server.prependListener('request', (_req, res) => res.setHeader(WORKER_HEADER, String(slot)));
  gateway.healthDetails.push(() => ({ workers: { ...channel.fleet, answered_by: slot } }));
  const metrics = control.metrics;
  if (metrics) {
    channel.collect = () => metrics.registry.getMetricsAsJSON();
    const local = metrics.text.bind(metrics);
    metrics.text = () => (channel.up ? channel.call('metrics.text') : local());
  }
  const audit = gateway.admin.audit;
  gateway.admin.audit = (entry) => {
    audit?.(entry);
    if (entry.method === 'GET' || entry.method === 'HEAD' || entry.status >= 400) return;
    const scope: ChangeScope = entry.path.startsWith('/admin/config/reload') ? 'file' : 'stored';
    channel.send({ sy: 'changed', scope });
  };
  channel.changeListeners.push((scope) => {
    if (scope === 'file') {
      control.reload('configuration reloaded in another worker');
      return;
    }
    if (control.store instanceof SqliteConfigRepository) control.store.reload();
    control.applyStored('configuration changed in another worker');
    accounting.access.reloadClients().catch((err: unknown) => logger.error({ err }, 'clients not reloaded'));
  });
}

function stopOn(
  running: RunningGateway,
  channel: PrimaryChannel,
  logger: Logger,
  exit: (code: number) => void,
): void {
  let stopping = false;
  const stop = (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'worker draining in-flight requests, then exiting');
    void running.stop().then(
      () => exit(code),
      (err: unknown) => {
        logger.error({ err }, 'worker stop failed');
        exit(1);
      },
    );
  };
  channel.drainListeners.push(() => stop('the primary asked', 0));
  channel.goneListeners.push(() => {
    logger.error('the cluster primary is gone: this worker drains and exits');
    stop('primary gone', 1);
  });
  process.once('SIGTERM', () => stop('SIGTERM', 0));
  process.once('SIGINT', () => stop('SIGINT', 0));
}
