import type { HealthChange } from '../../../state/health-sync';
import { MemoryConcurrencyStore } from '../../../state/memory-concurrency-store';
import { MemoryCursorStore } from '../../../state/memory-cursor-store';
import { MemoryHealthBus, MemoryHealthSync } from '../../../state/memory-health-sync';
import { MemoryJobBoard, MemoryJobLock } from '../../../state/memory-job-lock';
import { MemoryLimiterStore } from '../../../state/memory-limiter-store';
import { MemoryQuotaCounterStore } from '../../../state/memory-quota-counter-store';
import { MemoryStatsStore } from '../../../state/memory-stats-store';
import type { OpArgs, PrimaryMessage, StateOp, StateOps, WorkerMessage } from './protocol';

/** The calls the primary answers from elsewhere than its memory (request log, metrics). */
export type ExtraOps = Pick<StateOps, 'log.append' | 'metrics.text'>;

/**
 * The live state of every worker, in the primary: the memory drivers of src/state/ decide each
 * call in the primary's one thread, in the order calls arrive, so limits, quotas and concurrency
 * are exact across workers. Health changes go through a memory health bus with one member per
 * worker, which relays a change to every worker but the one that made it. Rotation cursors and
 * statistics are the memory drivers too; jobs (health checks, keep-alive pings) are claimed on
 * one job board, one lock per worker. Places a worker holds (concurrency) are given back and the
 * jobs it holds let go when it dies, so another worker takes them at its next run.
 */
export class StateAuthority {
  private readonly limiter = new MemoryLimiterStore();
  private readonly concurrency = new MemoryConcurrencyStore();
  private readonly quotas = new MemoryQuotaCounterStore();
  private readonly cursors = new MemoryCursorStore();
  private readonly stats = new MemoryStatsStore();
  private readonly bus = new MemoryHealthBus();
  private readonly members = new Map<number, MemoryHealthSync>();
  private readonly board = new MemoryJobBoard();
  private readonly locks = new Map<number, MemoryJobLock>();
  /** Concurrency places held, by worker id, then by name. */
  private readonly held = new Map<number, Map<string, number>>();

  constructor(private readonly extra: ExtraOps) {}

  /** A worker joined: the changes other workers publish reach it through `forward`. */
  join(worker: number, forward: (change: HealthChange) => void): void {
    const member = new MemoryHealthSync(this.bus);
    member.subscribe(forward);
    this.members.set(worker, member);
    this.locks.set(worker, new MemoryJobLock(this.board));
    this.held.set(worker, new Map());
  }

  /** A worker is gone: it hears no more changes, and the places it held are given back. */
  async leave(worker: number): Promise<void> {
    await this.members.get(worker)?.close();
    this.members.delete(worker);
    await this.locks.get(worker)?.releaseAll();
    this.locks.delete(worker);
    const held = this.held.get(worker);
    this.held.delete(worker);
    for (const [name, count] of held ?? []) {
      for (let i = 0; i < count; i++) await this.concurrency.release(name);
    }
  }

  /**
   * Takes a worker's state message: answers a call (by its request id, through `reply`; a
   * health change is one, relayed to the other workers). False for any other message.
   */
  receive(worker: number, message: WorkerMessage, reply: (message: PrimaryMessage) => void): boolean {
    if (message.sy !== 'call') return false;
    const { id } = message;
    this.handle(worker, message.op, message.args).then(
      (value) => reply({ sy: 'reply', id, value }),
      (err: unknown) => reply({ sy: 'reply', id, error: err instanceof Error ? err.message : String(err) }),
    );
    return true;
  }

  /** Answers one call of a worker. */
  private handle(worker: number, op: StateOp, args: unknown[]): Promise<unknown> {
    switch (op) {
      case 'concurrency.acquire':
        return this.acquire(worker, ...(args as OpArgs<'concurrency.acquire'>));
      case 'concurrency.release':
        return this.release(worker, ...(args as OpArgs<'concurrency.release'>));
      case 'health.publish':
        return this.members.get(worker)?.publish(...(args as OpArgs<'health.publish'>)) ?? Promise.resolve();
      case 'jobs.claim':
        return this.claim(worker, ...(args as OpArgs<'jobs.claim'>));
      case 'jobs.release':
        return this.locks.get(worker)?.releaseAll() ?? Promise.resolve();
      default:
        return this.call(op, args);
    }
  }

  private call(
    op: Exclude<StateOp, `concurrency.${'acquire' | 'release'}` | 'health.publish' | `jobs.${string}`>,
    args: unknown[],
  ): Promise<unknown> {
    switch (op) {
      case 'limiter.take':
        return this.limiter.take(...(args as OpArgs<'limiter.take'>));
      case 'limiter.adjust':
        return this.limiter.adjust(...(args as OpArgs<'limiter.adjust'>));
      case 'limiter.peek':
        return this.limiter.peek(...(args as OpArgs<'limiter.peek'>));
      case 'concurrency.count':
        return this.concurrency.count(...(args as OpArgs<'concurrency.count'>));
      case 'quota.read':
        return this.quotas.read(...(args as OpArgs<'quota.read'>));
      case 'quota.seed':
        return this.quotas.seed(...(args as OpArgs<'quota.seed'>));
      case 'quota.reserve':
        return this.quotas.reserve(...(args as OpArgs<'quota.reserve'>));
      case 'quota.settle':
        return this.quotas.settle(...(args as OpArgs<'quota.settle'>));
      case 'cursor.turn':
        return this.cursors.turn(...(args as OpArgs<'cursor.turn'>));
      case 'cursor.peek':
        return this.cursors.peek(...(args as OpArgs<'cursor.peek'>));
      case 'stats.add':
        return this.addStats(...(args as OpArgs<'stats.add'>));
      case 'stats.read':
        return this.stats.read(...(args as OpArgs<'stats.read'>));
      case 'log.append':
        return this.extra['log.append'](...(args as OpArgs<'log.append'>));
      case 'metrics.text':
        return this.extra['metrics.text']();
    }
  }

  /** A worker that has left (or never joined) holds no job: it is told to run none. */
  private async claim(worker: number, job: string, holdMs: number): Promise<boolean> {
    return (await this.locks.get(worker)?.claim(job, holdMs)) ?? false;
  }

  private addStats(buckets: OpArgs<'stats.add'>[0], ttls: OpArgs<'stats.add'>[1]): Promise<void> {
    return this.stats.add(buckets, (bucket) => ttls.get(bucket) ?? 0);
  }

  private async acquire(worker: number, name: string, limit: number): Promise<boolean> {
    const acquired = await this.concurrency.acquire(name, limit);
    const held = this.held.get(worker);
    if (acquired && held) held.set(name, (held.get(name) ?? 0) + 1);
    return acquired;
  }

  private async release(worker: number, name: string): Promise<void> {
    const held = this.held.get(worker);
    const count = held?.get(name) ?? 0;
    // A place the worker does not hold (given back already when it was thought dead) is not given twice.
    if (count === 0) return;
    if (count === 1) held!.delete(name);
    else held!.set(name, count - 1);
    await this.concurrency.release(name);
  }
}
