import type { HealthChange } from '../../../state/health-sync';
import {
  type ChangeScope,
  type FleetStatus,
  isMessage,
  type OpArgs,
  type OpResult,
  type PrimaryMessage,
  type StateOp,
  type WorkerMessage,
} from './protocol';

/** The worker's end of the IPC link: what node:cluster gives a worker process. */
export interface PrimaryLink {
  readonly connected: boolean;
  send(message: WorkerMessage, callback: (err: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

/** Calls that are no live-state check wait longer than `state.timeout`: a batch write, a metrics scrape. */
const SLOW_OPS: Partial<Record<StateOp, number>> = { 'log.append': 30_000, 'metrics.text': 5_000 };

interface Waiting {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** A call the primary did not answer: it is gone, or slower than `state.timeout`. */
export class PrimaryUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrimaryUnavailable';
  }
}

/**
 * A worker's calls to the primary: each call carries a request id and settles with the reply of
 * that id, or fails after `timeoutMs`, or at once when the primary is gone. Health and
 * configuration changes, metric collection and the drain order arrive here too.
 */
export class PrimaryChannel {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  readonly healthListeners = new Set<(change: HealthChange) => void>();
  readonly changeListeners: ((scope: ChangeScope) => void)[] = [];
  readonly drainListeners: (() => void)[] = [];
  readonly goneListeners: (() => void)[] = [];
  /** Answers the primary's `collect`: this worker's metrics as JSON. */
  collect: (() => Promise<object[]>) | undefined;
  fleet: FleetStatus | undefined;

  constructor(
    private readonly link: PrimaryLink,
    private readonly timeoutMs: number,
  ) {
    link.on('message', (message) => {
      if (isMessage<PrimaryMessage>(message)) this.receive(message);
    });
    link.on('disconnect', () => this.gone());
  }

  get up(): boolean {
    return this.link.connected;
  }

  call<K extends StateOp>(op: K, ...args: OpArgs<K>): Promise<OpResult<K>> {
    if (!this.link.connected) return Promise.reject(new PrimaryUnavailable('the cluster primary is gone'));
    const id = this.nextId++;
    const timeoutMs = SLOW_OPS[op] ?? this.timeoutMs;
    return new Promise<OpResult<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new PrimaryUnavailable(`the cluster primary did not answer ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.send({ sy: 'call', id, op, args });
    });
  }

  /** Sends a message when the link is up; false when it could not be sent. */
  send(message: WorkerMessage): boolean {
    if (!this.link.connected) return false;
    try {
      // A send that fails because the primary just went is the 'disconnect' event's to handle.
      return this.link.send(message, () => {});
    } catch {
      return false;
    }
  }

  private receive(message: PrimaryMessage): void {
    switch (message.sy) {
      case 'reply':
        this.settle(message.id, message.value, message.error);
        return;
      case 'health':
        for (const listener of this.healthListeners) listener(message.change);
        return;
      case 'changed':
        for (const listener of this.changeListeners) listener(message.scope);
        return;
      case 'collect':
        this.answerCollect(message.id);
        return;
      case 'fleet':
        this.fleet = message.status;
        return;
      case 'drain':
        for (const listener of this.drainListeners) listener();
        return;
    }
  }

  private settle(id: number, value: unknown, error: string | undefined): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    this.waiting.delete(id);
    clearTimeout(waiting.timer);
    if (error === undefined) waiting.resolve(value);
    else waiting.reject(new Error(error));
  }

  private answerCollect(id: number): void {
    const collect = this.collect ?? (() => Promise.resolve([]));
    collect().then(
      (metrics) => this.send({ sy: 'collected', id, metrics }),
      () => this.send({ sy: 'collected', id, metrics: [] }),
    );
  }

  private gone(): void {
    const err = new PrimaryUnavailable('the cluster primary is gone');
    for (const waiting of this.waiting.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(err);
    }
    this.waiting.clear();
    for (const listener of this.goneListeners) listener();
  }
}
