import type { RequestRecord } from '../../../observe/request-record';
import type { ConcurrencyStore } from '../../../state/concurrency-store';
import type { CursorStore } from '../../../state/cursor-store';
import type { HealthChange, HealthSync } from '../../../state/health-sync';
import type { JobLock } from '../../../state/job-lock';
import type { LimiterStore } from '../../../state/limiter-store';
import type { QuotaCounterStore } from '../../../state/quota-counter-store';
import type { StatsFields, StatsStore } from '../../../state/stats-store';

/**
 * The messages between the cluster primary and its workers (node:cluster IPC, `advanced`
 * serialization). A worker calls the state the primary holds by request id; the primary relays
 * health changes and configuration changes, gathers metrics, and tells workers to drain.
 */

/** The calls a worker makes on the primary's state, by name: each is the memory driver's method. */
export interface StateOps {
  'limiter.take': LimiterStore['take'];
  'limiter.adjust': LimiterStore['adjust'];
  'limiter.peek': LimiterStore['peek'];
  'concurrency.acquire': ConcurrencyStore['acquire'];
  'concurrency.release': ConcurrencyStore['release'];
  'concurrency.count': ConcurrencyStore['count'];
  'quota.read': QuotaCounterStore['read'];
  'quota.seed': QuotaCounterStore['seed'];
  'quota.reserve': QuotaCounterStore['reserve'];
  'quota.settle': QuotaCounterStore['settle'];
  /** A health change, relayed to every other worker; settles once the primary has taken it. */
  'health.publish': HealthSync['publish'];
  /** A request's turn of a rotation: the same call as on Redis, in the primary's memory. */
  'cursor.turn': CursorStore['turn'];
  'cursor.peek': CursorStore['peek'];
  /** A job claimed by the calling worker (held by worker id; a dead worker's jobs are let go). */
  'jobs.claim': JobLock['claim'];
  'jobs.release': JobLock['releaseAll'];
  /** A worker's statistics batch; each bucket's time to live is a number, not a function. */
  'stats.add': (
    buckets: ReadonlyMap<string, StatsFields>,
    ttls: ReadonlyMap<string, number>,
  ) => Promise<void>;
  'stats.read': StatsStore['read'];
  /** A batch for the request log, which the primary alone writes (SQLite store). */
  'log.append': (records: readonly RequestRecord[]) => Promise<void>;
  /** The whole machine's metrics (the primary gathers every worker's and sums them). */
  'metrics.text': () => Promise<string>;
}

export type StateOp = keyof StateOps;
export type OpArgs<K extends StateOp> = Parameters<StateOps[K]>;
export type OpResult<K extends StateOp> = Awaited<ReturnType<StateOps[K]>>;

/** What a configuration change asks the other workers to do. */
export type ChangeScope =
  /** The admin API changed stored objects (upstreams, keys, routes, settings) or clients. */
  | 'stored'
  /** The configuration file was read again (`POST /admin/config/reload`). */
  | 'file';

/** The machine's workers, as `/health` shows them. */
export interface FleetStatus {
  /** Workers the configuration asks for. */
  readonly configured: number;
  /** Workers running and listening now. */
  readonly running: number;
  /** Restarts of crashed workers since the primary started. */
  readonly restarts: number;
}

export type WorkerMessage =
  | { readonly sy: 'call'; readonly id: number; readonly op: StateOp; readonly args: unknown[] }
  | { readonly sy: 'changed'; readonly scope: ChangeScope }
  | { readonly sy: 'collected'; readonly id: number; readonly metrics: object[] }
  | { readonly sy: 'ready'; readonly url: string; readonly admin: string | undefined };

export type PrimaryMessage =
  | { readonly sy: 'reply'; readonly id: number; readonly value?: unknown; readonly error?: string }
  | { readonly sy: 'health'; readonly change: HealthChange }
  | { readonly sy: 'changed'; readonly scope: ChangeScope }
  | { readonly sy: 'collect'; readonly id: number }
  | { readonly sy: 'fleet'; readonly status: FleetStatus }
  | { readonly sy: 'drain' };

/** Whether an IPC message is one of ours (cluster's own messages never reach 'message'). */
export function isMessage<T extends { sy: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && typeof (message as T).sy === 'string';
}

/** The environment variable that names a worker's slot (0…N-1); slot 0 says the start warnings. */
export const SLOT_ENV = 'SWITCHYARD_WORKER_SLOT';
