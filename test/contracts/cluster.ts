import { StateAuthority } from '../../src/adapter/node/cluster/authority';
import { PrimaryChannel, type PrimaryLink } from '../../src/adapter/node/cluster/channel';
import type { PrimaryMessage, WorkerMessage } from '../../src/adapter/node/cluster/protocol';
import type { RequestRecord } from '../../src/observe/request-record';
import type { Driver } from './driver';

/**
 * A worker's IPC link inside one process: messages are copied (structured clone, as node:cluster's
 * `advanced` serialization does) and delivered on a later turn of the event loop, as over a pipe.
 */
export class LoopbackLink implements PrimaryLink {
  connected = true;
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly disconnectListeners: (() => void)[] = [];
  /** What the primary does with a message this worker sends. */
  toPrimary: (message: WorkerMessage) => void = () => {};
  /** Messages the worker sent, in order. */
  readonly sent: WorkerMessage[] = [];

  send(message: WorkerMessage, callback: (err: Error | null) => void): boolean {
    if (!this.connected) throw new Error('channel closed');
    const copy = structuredClone(message);
    this.sent.push(copy);
    setImmediate(() => this.toPrimary(copy));
    callback(null);
    return true;
  }

  on(event: 'message' | 'disconnect', listener: ((message: unknown) => void) | (() => void)): this {
    if (event === 'message') this.messageListeners.push(listener as (message: unknown) => void);
    else this.disconnectListeners.push(listener as () => void);
    return this;
  }

  /** The primary sends `message` to this worker. */
  deliver(message: PrimaryMessage): void {
    if (!this.connected) return;
    const copy = structuredClone(message);
    setImmediate(() => {
      for (const listener of this.messageListeners) listener(copy);
    });
  }

  /** The primary is gone. */
  disconnect(): void {
    this.connected = false;
    for (const listener of this.disconnectListeners) listener();
  }
}

/** A primary's state authority with workers joined over loopback links. */
export class LoopbackCluster {
  /** The request log batches workers sent, as the primary's writer received them. */
  readonly logged: RequestRecord[][] = [];
  readonly authority = new StateAuthority({
    'log.append': async (records) => {
      this.logged.push([...records]);
    },
    'metrics.text': async () => '',
  });
  private nextWorker = 1;

  /** A new worker's channel (and its link), answered by the authority. */
  join(timeoutMs = 1_000): { channel: PrimaryChannel; link: LoopbackLink; worker: number } {
    const worker = this.nextWorker++;
    const link = new LoopbackLink();
    this.authority.join(worker, (change) => link.deliver({ sy: 'health', change }));
    link.toPrimary = (message) => this.authority.receive(worker, message, (reply) => link.deliver(reply));
    return { channel: new PrimaryChannel(link, timeoutMs), link, worker };
  }
}

/** A cluster IPC driver under a contract suite: `reopen` is another worker on the same primary. */
export function clusterDriver<T>(make: (channel: PrimaryChannel) => T): Driver<T> {
  const cluster = new LoopbackCluster();
  return {
    store: make(cluster.join().channel),
    reopen: () => make(cluster.join().channel),
    close: () => {},
  };
}
