import type { CursorStore, RotationMember, RotationTurn } from '../../../state/cursor-store';
import type { JobLock } from '../../../state/job-lock';
import type { RotationMode } from '../../../state/rotation';
import type { StatsFields, StatsStore } from '../../../state/stats-store';
import type { PrimaryChannel } from './channel';

/**
 * The fleet's stores of src/state/ (rotation cursors, once-per-fleet jobs, statistics) answered
 * by the cluster primary's memory drivers, so the workers of one machine act as one gateway
 * without Redis: each call is one IPC message, decided in the primary's single thread.
 */
export class IpcCursorStore implements CursorStore {
  constructor(private readonly channel: PrimaryChannel) {}

  turn(rotation: string, members: readonly RotationMember[], mode: RotationMode): Promise<RotationTurn> {
    return this.channel.call('cursor.turn', rotation, members, mode);
  }

  peek(name: string): Promise<number> {
    return this.channel.call('cursor.peek', name);
  }
}

/**
 * Jobs claimed on the primary's job board, held by this worker's id. A worker that dies lets go
 * of its jobs at once (the primary sees it exit). Should the primary not answer, the worker runs
 * its jobs itself (health is local then, as with Redis unreachable: docs/scale-out.md).
 */
export class IpcJobLock implements JobLock {
  constructor(
    private readonly channel: PrimaryChannel,
    private readonly fault: (err: unknown) => void = () => {},
  ) {}

  async claim(job: string, holdMs: number): Promise<boolean> {
    if (!this.channel.up) return true;
    try {
      return await this.channel.call('jobs.claim', job, holdMs);
    } catch (err) {
      this.fault(err);
      return true;
    }
  }

  async releaseAll(): Promise<void> {
    if (!this.channel.up) return;
    await this.channel.call('jobs.release').catch(() => undefined);
  }
}

/** Statistics summed in the primary; a bucket's time to live goes as a number (functions do not cross IPC). */
export class IpcStatsStore implements StatsStore {
  constructor(private readonly channel: PrimaryChannel) {}

  add(buckets: ReadonlyMap<string, StatsFields>, ttlMs: (bucket: string) => number): Promise<void> {
    const ttls = new Map<string, number>();
    for (const bucket of buckets.keys()) ttls.set(bucket, ttlMs(bucket));
    return this.channel.call('stats.add', buckets, ttls);
  }

  read(buckets: readonly string[]): Promise<StatsFields[]> {
    return this.channel.call('stats.read', buckets);
  }
}
