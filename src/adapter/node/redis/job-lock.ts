import { randomBytes } from 'node:crypto';
import type { JobLock } from '../../../state/job-lock';
import type { RedisLink } from './connection';
import type { FaultPolicy } from './fallback';
import { LuaScript, num } from './script';

/** How long a claim waits for a link that is down before the job runs here anyway. */
const UP_WAIT_MS = 2_000;

/** SET NX PX, or renewal (PX again) by the instance that already holds the job. */
const claim = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

const release = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * The Redis driver: one key per job, `<prefix>:job:NAME`, holding the instance's id and
 * expiring after `holdMs` unless renewed. While Redis is unreachable every instance runs its
 * jobs itself (health is local then, docs/scale-out.md).
 */
export class RedisJobLock implements JobLock {
  private readonly id = randomBytes(8).toString('hex');
  private readonly held = new Set<string>();

  constructor(
    private readonly link: RedisLink,
    private readonly policy?: FaultPolicy,
  ) {}

  async claim(job: string, holdMs: number): Promise<boolean> {
    if (this.policy && !(await this.linkUp())) return true;
    try {
      const won = num(await claim.run(this.link.client, [this.key(job)], [this.id, Math.ceil(holdMs)])) === 1;
      if (won) this.held.add(job);
      else this.held.delete(job);
      return won;
    } catch (err) {
      if (!this.policy) throw err;
      this.policy.fault(err);
      return true;
    }
  }

  /**
   * Whether the link is up, waiting for it a moment (UP_WAIT_MS) when it is not: the first runs
   * are due as the gateway starts, while its connection is still being made.
   */
  private linkUp(): Promise<boolean> {
    if (this.link.up) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(false);
      }, UP_WAIT_MS);
      timer.unref();
      const stop = this.link.onChange((up) => {
        if (!up) return;
        clearTimeout(timer);
        stop();
        resolve(true);
      });
    });
  }

  async releaseAll(): Promise<void> {
    const jobs = [...this.held];
    this.held.clear();
    if (!this.link.up) return;
    await Promise.all(
      jobs.map((job) => release.run(this.link.client, [this.key(job)], [this.id]).catch(() => 0)),
    );
  }

  private key(job: string): string {
    return this.link.key('job', job);
  }
}
