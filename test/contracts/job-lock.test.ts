import { RedisJobLock } from '../../src/adapter/node/redis/job-lock';
import { MemoryJobBoard, MemoryJobLock } from '../../src/state/memory-job-lock';
import { jobLockContract } from './job-lock';
import { redisDriver } from './redis';

jobLockContract('memory, on a shared board', () => {
  const board = new MemoryJobBoard();
  return { store: new MemoryJobLock(board), reopen: () => new MemoryJobLock(board), close: () => {} };
});

jobLockContract('Redis', () => redisDriver((link) => new RedisJobLock(link), 2));
