import { IpcJobLock } from '../../src/adapter/node/cluster/fleet-stores';
import { RedisJobLock } from '../../src/adapter/node/redis/job-lock';
import { MemoryJobBoard, MemoryJobLock } from '../../src/state/memory-job-lock';
import { clusterDriver } from './cluster';
import { jobLockContract } from './job-lock';
import { redisDriver } from './redis';

jobLockContract('memory, on a shared board', () => {
  const board = new MemoryJobBoard();
  return { store: new MemoryJobLock(board), reopen: () => new MemoryJobLock(board), close: () => {} };
});

jobLockContract('Redis', () => redisDriver((link) => new RedisJobLock(link), 2));

jobLockContract('cluster IPC (the primary’s job board)', () =>
  clusterDriver((channel) => new IpcJobLock(channel)),
);
