import { Redis, type RedisOptions } from 'ioredis';

/** Reconnection backoff: 100 ms, 200 ms, … capped at 5 s, forever. */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 100, 5_000);
}

export type LinkListener = (up: boolean, err?: Error) => void;

/**
 * The Redis connections of one gateway instance: `client` runs the scripts, `subscriber` holds
 * the pub/sub subscription. Commands never queue while the link is down (they fail at once, so
 * callers fall back instead of waiting); both connections reconnect with backoff on their own.
 * `up` follows the command connection; listeners hear every change of it.
 */
export class RedisLink {
  readonly client: Redis;
  readonly subscriber: Redis;
  private readonly listeners = new Set<LinkListener>();
  private isUp = false;

  /** `timeoutMs`: how long one command may take before it counts as a fault (the caller falls back). */
  constructor(
    url: string,
    readonly prefix: string,
    timeoutMs = 1_000,
  ) {
    const options: RedisOptions = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeoutMs,
      connectTimeout: 2_000,
      retryStrategy: reconnectDelay,
      lazyConnect: false,
    };
    this.client = new Redis(url, options);
    // The subscriber queues its SUBSCRIBE until it is connected, and subscribes again after a reconnect.
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true, commandTimeout: undefined });
    this.client.on('ready', () => this.set(true));
    this.client.on('close', () => this.set(false));
    this.client.on('error', (err: Error) => this.set(false, err));
    this.subscriber.on('error', () => {});
  }

  get up(): boolean {
    return this.isUp;
  }

  /** A key under this gateway's prefix. */
  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  onChange(listener: LinkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Settles once both connections are ready (tests; the gateway never waits for it). */
  ready(): Promise<void> {
    return Promise.all([whenReady(this.client), whenReady(this.subscriber)]).then(() => {});
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([quit(this.client), quit(this.subscriber)]);
  }

  private set(up: boolean, err?: Error): void {
    if (up === this.isUp && !err) return;
    const changed = up !== this.isUp;
    this.isUp = up;
    if (changed) for (const listener of this.listeners) listener(up, err);
  }
}

function whenReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

async function quit(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
