import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../../../config/schema/index';
import type { Logger } from '../../../observe/logger';
import { StateAuthority } from './authority';
import { MachineMetrics } from './primary-metrics';
import type { PrimaryStore } from './primary-store';
import { type FleetStatus, isMessage, type PrimaryMessage, SLOT_ENV, type WorkerMessage } from './protocol';

/** First restart delay of a crashed worker; doubled for each crash in a row, up to RESTART_MAX_MS. */
const RESTART_MIN_MS = 200;
const RESTART_MAX_MS = 10_000;
/** A worker that ran this long before it exited starts a new series of crashes. */
const STABLE_MS = 10_000;
/** How long the primary waits for one worker's metrics. */
const COLLECT_MS = 2_000;

interface Slot {
  worker: Worker | undefined;
  ready: boolean;
  everReady: boolean;
  readyAt: number;
  crashes: number;
  restart: NodeJS.Timeout | undefined;
}

export interface PrimaryOptions {
  readonly config: Config;
  readonly workers: number;
  readonly logger: Logger;
  readonly store: PrimaryStore;
  /** Ends the process (the CLI passes process.exit). */
  readonly exit: (code: number) => void;
  /** Logged once every worker listens (the CLI's start banner). */
  readonly announce: (url: string, admin: string | undefined) => void;
}

/**
 * The cluster primary: forks `server.workers` workers behind one listener (node:cluster shares
 * it), holds their live state (StateAuthority) and the request log's writer, relays health and
 * configuration changes, gathers metrics, restarts a crashed worker with a backoff, and on
 * SIGTERM or SIGINT has every worker drain before it exits.
 */
export class ClusterPrimary {
  private readonly slots: Slot[];
  private readonly authority: StateAuthority;
  private readonly metrics: MachineMetrics;
  private readonly collecting = new Map<number, (metrics: object[]) => void>();
  private nextCollect = 1;
  private restarts = 0;
  private stopping = false;
  private announced = false;

  constructor(private readonly options: PrimaryOptions) {
    this.slots = Array.from({ length: options.workers }, () => ({
      worker: undefined,
      ready: false,
      everReady: false,
      readyAt: 0,
      crashes: 0,
      restart: undefined,
    }));
    this.metrics = new MachineMetrics(() => this.running, options.workers);
    this.authority = new StateAuthority({
      'log.append': (records) => options.store.append(records),
      'metrics.text': () => this.metrics.text(this.liveWorkers().map((w) => () => this.collect(w))),
    });
  }

  get running(): number {
    return this.slots.filter((slot) => slot.ready).length;
  }

  start(): void {
    cluster.setupPrimary({ serialization: 'advanced' });
    for (let index = 0; index < this.slots.length; index++) this.fork(index);
    process.once('SIGTERM', () => void this.stop('SIGTERM'));
    process.once('SIGINT', () => void this.stop('SIGINT'));
    process.on('SIGHUP', () => this.broadcast({ sy: 'changed', scope: 'file' }));
  }

  /** Has every worker drain (in-flight requests finish), then closes the store and exits 0. */
  async stop(signal: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const { logger } = this.options;
    logger.info({ signal, workers: this.liveWorkers().length }, 'draining every worker, then exiting');
    for (const slot of this.slots) if (slot.restart) clearTimeout(slot.restart);
    const exits = this.liveWorkers().map(
      (w) => new Promise<void>((resolve) => w.once('exit', () => resolve())),
    );
    this.broadcast({ sy: 'drain' });
    const grace = setTimeout(() => {
      logger.warn('workers still running after server.shutdown_timeout: killing them');
      for (const w of this.liveWorkers()) w.process.kill('SIGKILL');
    }, this.options.config.server.shutdown_timeout + 5_000);
    await Promise.all(exits);
    clearTimeout(grace);
    await this.options.store.close().catch((err: unknown) => logger.error({ err }, 'store not closed'));
    this.options.exit(0);
  }

  /** A worker could not start (a port in use, a store it cannot open): every worker stops, exit 1. */
  private async fail(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) if (slot.restart) clearTimeout(slot.restart);
    for (const worker of this.liveWorkers()) worker.process.kill('SIGTERM');
    await this.options.store.close().catch(() => {});
    this.options.exit(1);
  }

  private fork(index: number): void {
    const slot = this.slots[index]!;
    slot.restart = undefined;
    const worker = cluster.fork({ [SLOT_ENV]: String(index) });
    slot.worker = worker;
    slot.ready = false;
    this.authority.join(worker.id, (change) => this.send(worker, { sy: 'health', change }));
    worker.on('message', (message: unknown) => {
      if (isMessage<WorkerMessage>(message)) this.receive(worker, slot, message);
    });
    worker.once('exit', (code, signal) => this.exited(worker, index, code, signal));
    worker.on('error', (err) => this.options.logger.debug({ err, worker: index }, 'worker IPC error'));
  }

  private receive(worker: Worker, slot: Slot, message: WorkerMessage): void {
    if (this.authority.receive(worker.id, message, (reply) => this.send(worker, reply))) return;
    switch (message.sy) {
      case 'changed':
        for (const other of this.liveWorkers()) if (other !== worker) this.send(other, message);
        return;
      case 'collected':
        this.collecting.get(message.id)?.(message.metrics);
        return;
      case 'ready':
        slot.ready = true;
        slot.everReady = true;
        slot.readyAt = Date.now();
        this.fleetChanged();
        this.announceOnce(message.url, message.admin);
        return;
    }
  }

  private exited(worker: Worker, index: number, code: number | null, signal: string | null): void {
    const slot = this.slots[index]!;
    void this.authority.leave(worker.id);
    if (slot.worker === worker) {
      slot.worker = undefined;
      slot.ready = false;
    }
    this.fleetChanged();
    if (this.stopping) return;
    const { logger } = this.options;
    if (!slot.everReady) {
      logger.error({ worker: index, code, signal }, 'a worker exited before it listened: stopping');
      void this.fail();
      return;
    }
    slot.crashes = slot.readyAt && Date.now() - slot.readyAt >= STABLE_MS ? 1 : slot.crashes + 1;
    const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** (slot.crashes - 1));
    this.restarts++;
    this.metrics.restarts.inc();
    logger.warn(
      { worker: index, pid: worker.process.pid, code, signal, restart_in_ms: delay },
      'a worker exited: restarting it',
    );
    slot.restart = setTimeout(() => this.fork(index), delay);
  }

  private collect(worker: Worker): Promise<object[]> {
    const id = this.nextCollect++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done([]), COLLECT_MS);
      const done = (metrics: object[]) => {
        clearTimeout(timer);
        this.collecting.delete(id);
        resolve(metrics);
      };
      this.collecting.set(id, done);
      if (!this.send(worker, { sy: 'collect', id })) done([]);
    });
  }

  private announceOnce(url: string, admin: string | undefined): void {
    if (this.announced || this.running < this.slots.length) return;
    this.announced = true;
    this.options.announce(url, admin);
  }

  private fleetChanged(): void {
    const status: FleetStatus = {
      configured: this.slots.length,
      running: this.running,
      restarts: this.restarts,
    };
    this.broadcast({ sy: 'fleet', status });
  }

  private liveWorkers(): Worker[] {
    return this.slots.flatMap((slot) => (slot.worker?.isConnected() ? [slot.worker] : []));
  }

  private broadcast(message: PrimaryMessage): void {
    for (const worker of this.liveWorkers()) this.send(worker, message);
  }

  private send(worker: Worker, message: PrimaryMessage): boolean {
    if (!worker.isConnected()) return false;
    try {
      return worker.send(message);
    } catch {
      return false;
    }
  }
}
