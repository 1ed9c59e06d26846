import type { JobLock } from './job-lock';

/** The holders of a set of jobs, shared by the in-process instances made on it. */
export class MemoryJobBoard {
  readonly holders = new Map<string, { holder: MemoryJobLock; until: number }>();

  constructor(readonly now: () => number = Date.now) {}
}

/** The in-process driver: alone on its board (the default) it holds every job. */
export class MemoryJobLock implements JobLock {
  constructor(private readonly board: MemoryJobBoard = new MemoryJobBoard()) {}

  async claim(job: string, holdMs: number): Promise<boolean> {
    const now = this.board.now();
    const held = this.board.holders.get(job);
    if (held && held.holder !== this && held.until > now) return false;
    this.board.holders.set(job, { holder: this, until: now + holdMs });
    return true;
  }

  async releaseAll(): Promise<void> {
    for (const [job, held] of this.board.holders) if (held.holder === this) this.board.holders.delete(job);
  }
}
